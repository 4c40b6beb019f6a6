-- CreateEnum
CREATE TYPE "ReviewState" AS ENUM ('draft', 'done');

-- CreateTable
CREATE TABLE "reviews" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "state" "ReviewState" NOT NULL DEFAULT 'draft',
    "owner" TEXT,
    "resolved_at" TIMESTAMP(3) NOT NULL,
    "due_at" TIMESTAMP(3) NOT NULL,
    "completed_at" TIMESTAMP(3),
    "completed_by" TEXT,
    "sections" JSONB NOT NULL DEFAULT '{}',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "markdown" TEXT,
    "drafted_revision" INTEGER NOT NULL DEFAULT 0,
    "posted_revision" INTEGER NOT NULL DEFAULT 0,
    "file_id" TEXT,
    "file_permalink" TEXT,
    "summary_ts" TEXT,
    "reminder_step" INTEGER NOT NULL DEFAULT 0,
    "next_reminder_at" TIMESTAMP(3),
    "reminder_token" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow_ups" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "owner" TEXT NOT NULL,
    "due_on" DATE NOT NULL,
    "text" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "follow_ups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reviews_incident_id_key" ON "reviews"("incident_id");

-- CreateIndex
CREATE INDEX "reviews_state_next_reminder_at_idx" ON "reviews"("state", "next_reminder_at");

-- CreateIndex
CREATE INDEX "follow_ups_incident_id_created_at_idx" ON "follow_ups"("incident_id", "created_at");

-- AddForeignKey
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
