-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "channel_intent" TEXT,
ADD COLUMN     "message_intent_at" TIMESTAMP(3);
