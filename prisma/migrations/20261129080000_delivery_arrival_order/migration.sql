-- The order deliveries were stored in: a correlation pass breaks ties of received_at with it.
-- Added without rewriting the table (it keeps every delivery ever received): rows stored before
-- this migration keep seq NULL, and only rows stored after it are numbered.
CREATE SEQUENCE "webhook_deliveries_seq_seq";
ALTER TABLE "webhook_deliveries" ADD COLUMN "seq" BIGINT;
ALTER TABLE "webhook_deliveries" ALTER COLUMN "seq" SET DEFAULT nextval('"webhook_deliveries_seq_seq"');
ALTER SEQUENCE "webhook_deliveries_seq_seq" OWNED BY "webhook_deliveries"."seq";
