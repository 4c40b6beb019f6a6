-- CreateTable
CREATE TABLE "sandbox_usergroups" (
    "id" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sandbox_usergroups_pkey" PRIMARY KEY ("id")
);
