-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "correlation_key" TEXT;

-- CreateTable
CREATE TABLE "incident_keys" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "group_key" TEXT NOT NULL,
    "active_key" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "incidents_correlation_key_opened_at_idx" ON "incidents"("correlation_key", "opened_at");

-- CreateIndex
CREATE UNIQUE INDEX "incident_keys_active_key_key" ON "incident_keys"("active_key");

-- CreateIndex
CREATE INDEX "incident_keys_incident_id_idx" ON "incident_keys"("incident_id");

-- CreateIndex
CREATE INDEX "incident_keys_group_key_idx" ON "incident_keys"("group_key");

-- AddForeignKey
ALTER TABLE "incident_keys" ADD CONSTRAINT "incident_keys_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
