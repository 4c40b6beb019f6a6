-- Group and correlation keys over 2,000 bytes are now kept as their first 200 characters and a
-- SHA-256 of the whole (src/incidents/bounded-key.ts). Postgres may have stored such keys before
-- (it compresses a long, repetitive key under its index limit): rewrite them the same way, so the
-- next notification of such a group finds its incident instead of opening a second one.
CREATE FUNCTION pg_temp.bounded_key(key text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT left(key, 200) || '…sha256:' || encode(sha256(convert_to(key, 'UTF8')), 'hex') $$;

UPDATE "incidents" SET "group_key" = pg_temp.bounded_key("group_key") WHERE octet_length("group_key") > 2000;
UPDATE "incidents" SET "active_group_key" = pg_temp.bounded_key("active_group_key") WHERE octet_length("active_group_key") > 2000;
UPDATE "incidents" SET "correlation_key" = pg_temp.bounded_key("correlation_key") WHERE octet_length("correlation_key") > 2000;
UPDATE "incident_keys" SET "group_key" = pg_temp.bounded_key("group_key") WHERE octet_length("group_key") > 2000;
UPDATE "incident_keys" SET "active_key" = pg_temp.bounded_key("active_key") WHERE octet_length("active_key") > 2000;
UPDATE "alerts" SET "group_key" = pg_temp.bounded_key("group_key") WHERE octet_length("group_key") > 2000;
UPDATE "webhook_deliveries" SET "group_key" = pg_temp.bounded_key("group_key") WHERE octet_length("group_key") > 2000;

DROP FUNCTION pg_temp.bounded_key(text);
