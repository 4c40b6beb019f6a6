-- CreateTable
CREATE TABLE "schedule_overrides" (
    "id" SERIAL NOT NULL,
    "schedule" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelled_at" TIMESTAMP(3),
    "cancelled_by" TEXT,

    CONSTRAINT "schedule_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_handoffs" (
    "id" UUID NOT NULL,
    "schedule" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "layer" TEXT,
    "override_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_until" TIMESTAMP(3),
    "parts_done" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "done_at" TIMESTAMP(3),

    CONSTRAINT "schedule_handoffs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "schedule_overrides_schedule_ends_at_idx" ON "schedule_overrides"("schedule", "ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_handoffs_schedule_starts_at_user_id_key" ON "schedule_handoffs"("schedule", "starts_at", "user_id");

-- CreateIndex
CREATE INDEX "schedule_handoffs_done_at_idx" ON "schedule_handoffs"("done_at");
