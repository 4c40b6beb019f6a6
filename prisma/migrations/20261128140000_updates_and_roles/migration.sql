-- CreateTable
CREATE TABLE "status_updates" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "impact" TEXT,
    "posted_by" TEXT NOT NULL,
    "posted_at" TIMESTAMP(3) NOT NULL,
    "next_update_at" TIMESTAMP(3),

    CONSTRAINT "status_updates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_roles" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "assigned_by" TEXT NOT NULL,
    "assigned_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "incident_roles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "update_cadences" (
    "incident_id" UUID NOT NULL,
    "next_due_at" TIMESTAMP(3) NOT NULL,
    "reminder_token" UUID,
    "reminded_at" TIMESTAMP(3),

    CONSTRAINT "update_cadences_pkey" PRIMARY KEY ("incident_id")
);

-- CreateIndex
CREATE INDEX "status_updates_incident_id_posted_at_idx" ON "status_updates"("incident_id", "posted_at");

-- CreateIndex
CREATE UNIQUE INDEX "incident_roles_incident_id_role_key" ON "incident_roles"("incident_id", "role");

-- CreateIndex
CREATE UNIQUE INDEX "subscriptions_incident_id_user_id_key" ON "subscriptions"("incident_id", "user_id");

-- CreateIndex
CREATE INDEX "update_cadences_reminder_token_idx" ON "update_cadences"("reminder_token");

-- AddForeignKey
ALTER TABLE "status_updates" ADD CONSTRAINT "status_updates_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_roles" ADD CONSTRAINT "incident_roles_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "update_cadences" ADD CONSTRAINT "update_cadences_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
