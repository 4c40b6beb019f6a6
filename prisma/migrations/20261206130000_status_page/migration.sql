-- CreateTable
CREATE TABLE "public_incidents" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "impact" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "resolved_at" TIMESTAMP(3),
    "hidden_at" TIMESTAMP(3),

    CONSTRAINT "public_incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public_updates" (
    "id" UUID NOT NULL,
    "public_incident_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "components" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "public_updates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public_component_states" (
    "public_incident_id" UUID NOT NULL,
    "component" TEXT NOT NULL,
    "status" TEXT NOT NULL,

    CONSTRAINT "public_component_states_pkey" PRIMARY KEY ("public_incident_id","component")
);

-- CreateIndex
CREATE UNIQUE INDEX "public_incidents_incident_id_key" ON "public_incidents"("incident_id");

-- CreateIndex
CREATE INDEX "public_updates_public_incident_id_created_at_idx" ON "public_updates"("public_incident_id", "created_at");

-- AddForeignKey
ALTER TABLE "public_incidents" ADD CONSTRAINT "public_incidents_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public_updates" ADD CONSTRAINT "public_updates_public_incident_id_fkey" FOREIGN KEY ("public_incident_id") REFERENCES "public_incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public_component_states" ADD CONSTRAINT "public_component_states_public_incident_id_fkey" FOREIGN KEY ("public_incident_id") REFERENCES "public_incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
