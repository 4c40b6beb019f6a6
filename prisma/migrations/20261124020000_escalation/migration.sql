-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "acknowledged_by" TEXT,
ADD COLUMN     "escalation_token" TEXT,
ADD COLUMN     "level" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "next_escalation_at" TIMESTAMP(3),
ADD COLUMN     "policy" JSONB,
ADD COLUMN     "policy_name" TEXT;

-- CreateTable
CREATE TABLE "escalations" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "step" INTEGER NOT NULL,
    "level" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT,
    "actor" TEXT NOT NULL,
    "notify" JSONB NOT NULL,
    "due_at" TIMESTAMP(3),
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "escalations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "incidents_next_escalation_at_idx" ON "incidents"("next_escalation_at");

-- CreateIndex
CREATE UNIQUE INDEX "escalations_incident_id_step_key" ON "escalations"("incident_id", "step");

-- AddForeignKey
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
