-- A Slack message pinned to an incident's timeline (📌) is recorded once: a retried or repeated
-- reaction meets the unique index instead of a read-then-insert race.
ALTER TABLE "timeline_events" ADD COLUMN "pinned_message_ts" TEXT;

-- Existing pinned notes keep their place; where one message was pinned twice, the first holds the key.
UPDATE "timeline_events" t SET "pinned_message_ts" = t."data"->>'messageTs'
WHERE t."type" = 'note.pinned' AND t."data"->>'messageTs' IS NOT NULL
  AND t."id" = (SELECT MIN(o."id") FROM "timeline_events" o
                WHERE o."incident_id" = t."incident_id" AND o."type" = 'note.pinned' AND o."data"->>'messageTs' = t."data"->>'messageTs');

-- CreateIndex
CREATE UNIQUE INDEX "timeline_events_incident_id_pinned_message_ts_key" ON "timeline_events"("incident_id", "pinned_message_ts");
