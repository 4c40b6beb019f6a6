-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "channel_intent" TEXT,
ADD COLUMN     "message_intent_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "channel_posts" ADD COLUMN     "attempted_at" TIMESTAMP(3);
