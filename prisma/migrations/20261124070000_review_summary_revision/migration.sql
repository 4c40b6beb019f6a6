-- AlterTable
ALTER TABLE "reviews" ADD COLUMN     "summary_revision" INTEGER NOT NULL DEFAULT 0;
