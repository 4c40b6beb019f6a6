-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "slack_lease_owner" UUID;
