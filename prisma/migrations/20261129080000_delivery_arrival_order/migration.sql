-- The order deliveries were stored in: a correlation pass breaks ties of received_at with it.
ALTER TABLE "webhook_deliveries" ADD COLUMN "seq" BIGSERIAL NOT NULL;
