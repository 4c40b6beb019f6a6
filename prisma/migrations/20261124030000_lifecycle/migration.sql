-- AlterEnum
ALTER TYPE "IncidentStatus" ADD VALUE 'reopened';

-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "archived_at" TIMESTAMP(3),
ADD COLUMN     "reopened_at" TIMESTAMP(3),
ADD COLUMN     "topic" TEXT;
