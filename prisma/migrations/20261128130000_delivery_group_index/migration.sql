-- A correlation pass reads every pending delivery of one alert group.
CREATE INDEX "webhook_deliveries_group_key_processed_at_idx" ON "webhook_deliveries"("group_key", "processed_at");
