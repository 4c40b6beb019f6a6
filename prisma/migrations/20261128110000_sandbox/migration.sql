-- CreateTable
CREATE TABLE "sandbox_channels" (
    "id" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sandbox_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sandbox_files" (
    "id" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "content" BYTEA,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sandbox_files_pkey" PRIMARY KEY ("id")
);
