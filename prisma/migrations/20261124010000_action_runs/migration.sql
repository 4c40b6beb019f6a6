-- CreateEnum
CREATE TYPE "ActionRunStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'timed_out', 'outcome_unknown');

-- CreateTable
CREATE TABLE "action_runs" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "runbook_id" TEXT NOT NULL,
    "action_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "press_key" TEXT NOT NULL,
    "active_key" TEXT,
    "status" "ActionRunStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "ok" BOOLEAN,
    "summary" TEXT,
    "figures" JSONB,
    "output" TEXT,
    "error" TEXT,
    "duration_ms" INTEGER,
    "thread_ts" TEXT,
    "requested_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "action_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "action_runs_press_key_key" ON "action_runs"("press_key");

-- CreateIndex
CREATE UNIQUE INDEX "action_runs_active_key_key" ON "action_runs"("active_key");

-- CreateIndex
CREATE INDEX "action_runs_incident_id_requested_at_idx" ON "action_runs"("incident_id", "requested_at");

-- AddForeignKey
ALTER TABLE "action_runs" ADD CONSTRAINT "action_runs_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
