import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, migrate } from '../../src/db/migrate.js';
import { adminQuery, databaseUrl } from '../support/databases.js';
import { actualSchema, diffSchemas, expectedSchema, type SchemaShape } from '../support/schema-model.js';

const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../prisma/schema.prisma');
const silent = pino({ level: 'silent' });

/** One replacement that must apply exactly once, so a mutation can never silently do nothing. */
function replaceOnce(text: string, search: string, replacement: string): string {
  const first = text.indexOf(search);
  if (first < 0 || text.indexOf(search, first + 1) >= 0) throw new Error(`expected exactly one occurrence of ${JSON.stringify(search)} in schema.prisma`);
  return text.slice(0, first) + replacement + text.slice(first + search.length);
}

async function migrationDirectories(): Promise<string[]> {
  const entries = await readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

describe('schema.prisma and prisma/migrations', () => {
  // An empty database migrated from scratch by our runner, not the template: this exercises migrate() itself.
  const name = `incident_bot_drift_${randomBytes(5).toString('hex')}`;
  const url = databaseUrl(name);
  let schemaText: string;
  let firstRun: string[];
  let client: pg.Client;
  let migrated: SchemaShape;

  beforeAll(async () => {
    schemaText = await readFile(SCHEMA_PATH, 'utf8');
    await adminQuery(`CREATE DATABASE "${name}"`);
    firstRun = await migrate(url, silent);
    client = new pg.Client({ connectionString: url });
    await client.connect();
    migrated = await actualSchema(client);
  });

  afterAll(async () => {
    await client?.end();
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('the migrations build exactly the schema that schema.prisma describes', async () => {
    expect(firstRun).toEqual(await migrationDirectories());
    expect(Object.keys(migrated.tables).length).toBeGreaterThan(0);
    expect(diffSchemas(expectedSchema(schemaText), migrated)).toEqual([]);
  });

  describe('the check fails when schema.prisma changes without a migration', () => {
    const cases: [string, (text: string) => string, string[]][] = [
      [
        'a new field',
        (text) => replaceOnce(text, '  severity          String\n', '  severity          String\n  extra             String\n'),
        ['column incidents.extra missing from migrations'],
      ],
      [
        'a removed @@index',
        (text) => replaceOnce(text, '  @@index([groupKey])\n  @@index([nextEscalationAt])', '  @@index([nextEscalationAt])'),
        ['index incidents_group_key_idx exists in migrations but not in schema.prisma'],
      ],
      [
        'both at once',
        (text) => replaceOnce(replaceOnce(text, '  @@index([groupKey])\n  @@index([nextEscalationAt])', '  @@index([nextEscalationAt])'), '  severity          String\n', '  severity          String\n  extra             String\n'),
        ['column incidents.extra missing from migrations', 'index incidents_group_key_idx exists in migrations but not in schema.prisma'],
      ],
      [
        'a reordered @@index',
        (text) => replaceOnce(text, '@@index([status, openedAt])', '@@index([openedAt, status])'),
        ['index incidents_opened_at_status_idx missing from migrations', 'index incidents_status_opened_at_idx exists in migrations but not in schema.prisma'],
      ],
      [
        'an optional field made required',
        (text) => replaceOnce(text, 'recordedStatus AlertStatus? @map', 'recordedStatus AlertStatus  @map'),
        ['column alerts.recorded_status: expected NOT NULL, found nullable'],
      ],
      [
        'a native type',
        (text) => replaceOnce(text, '  ts         String?\n', '  ts         String? @db.VarChar(32)\n'),
        ['column channel_posts.ts: expected type character varying(32), found text'],
      ],
      [
        'a changed default',
        (text) => replaceOnce(text, '@default(1) @map("message_version")', '@default(2) @map("message_version")'),
        ['column incidents.message_version: expected default 2, found 1'],
      ],
      [
        'a removed @unique',
        (text) => replaceOnce(text, 'String?        @unique @map("channel_id")', 'String?        @map("channel_id")'),
        ['index incidents_channel_id_key exists in migrations but not in schema.prisma'],
      ],
      [
        'a referential action',
        (text) => replaceOnce(text, 'Incident?   @relation(fields: [incidentId], references: [id])', 'Incident?   @relation(fields: [incidentId], references: [id], onDelete: Cascade)'),
        ['foreign key alerts_incident_id_fkey: expected ON DELETE CASCADE, found SET NULL'],
      ],
      [
        'a new enum value',
        (text) => replaceOnce(text, '  firing\n  resolved\n', '  firing\n  resolved\n  silenced\n'),
        ['enum AlertStatus: expected values (firing, resolved, silenced), found (firing, resolved)'],
      ],
      [
        'a new model',
        (text) => `${text}\nmodel DriftProbe {\n  id Int @id @default(autoincrement())\n\n  @@map("drift_probes")\n}\n`,
        ['table drift_probes missing from migrations'],
      ],
    ];

    it.each(cases)('%s', (_what, mutate, differences) => {
      expect(diffSchemas(expectedSchema(mutate(schemaText)), migrated)).toEqual(differences);
    });
  });

  describe('the check fails when the database differs from schema.prisma', () => {
    // Each change runs in a transaction that is rolled back, so the migrated database stays as it was.
    const cases: [string, string, string[]][] = [
      ['an extra column', 'ALTER TABLE incidents ADD COLUMN extra text', ['column incidents.extra exists in migrations but not in schema.prisma']],
      ['NOT NULL on an optional column', 'ALTER TABLE alerts ALTER COLUMN recorded_status SET NOT NULL', ['column alerts.recorded_status: expected nullable, found NOT NULL']],
      ['a dropped index', 'DROP INDEX incidents_status_opened_at_idx', ['index incidents_status_opened_at_idx missing from migrations']],
      ['a dropped default', 'ALTER TABLE incidents ALTER COLUMN links DROP DEFAULT', ["column incidents.links: expected default '[]', found none"]],
      ['a changed type', 'ALTER TABLE webhook_deliveries ALTER COLUMN group_key TYPE varchar(200)', ['column webhook_deliveries.group_key: expected type text, found character varying(200)']],
      ['a timestamp without precision', 'ALTER TABLE incidents ALTER COLUMN resolved_at TYPE timestamp', ['column incidents.resolved_at: expected type timestamp(3) without time zone, found timestamp without time zone']],
      [
        'a partial index',
        `DROP INDEX incidents_group_key_idx; CREATE INDEX incidents_group_key_idx ON incidents (group_key) WHERE status <> 'resolved'`,
        [`index incidents_group_key_idx: expected no WHERE clause, found WHERE (status <> 'resolved'::"IncidentStatus")`],
      ],
      ['a descending index column', 'DROP INDEX incidents_group_key_idx; CREATE INDEX incidents_group_key_idx ON incidents (group_key DESC)', ['index incidents_group_key_idx: expected columns (group_key), found (group_key DESC)']],
      ['a unique index made plain', 'DROP INDEX incidents_channel_id_key; CREATE INDEX incidents_channel_id_key ON incidents (channel_id)', ['index incidents_channel_id_key: expected unique, found non-unique']],
      [
        'a different ON DELETE',
        'ALTER TABLE timeline_events DROP CONSTRAINT timeline_events_incident_id_fkey; ALTER TABLE timeline_events ADD CONSTRAINT timeline_events_incident_id_fkey FOREIGN KEY (incident_id) REFERENCES incidents(id) ON DELETE CASCADE ON UPDATE NO ACTION',
        ['foreign key timeline_events_incident_id_fkey: expected ON DELETE RESTRICT, found CASCADE', 'foreign key timeline_events_incident_id_fkey: expected ON UPDATE CASCADE, found NO ACTION'],
      ],
      ['a renamed primary key', 'ALTER TABLE alerts RENAME CONSTRAINT alerts_pkey TO alerts_pk', ['primary key of alerts: expected alerts_pkey (id), found alerts_pk (id)']],
      [
        'a sequence replaced by an identity',
        'ALTER TABLE timeline_events ALTER COLUMN id DROP DEFAULT; ALTER TABLE timeline_events ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY',
        ['column timeline_events.id: expected default autoincrement(), found GENERATED BY DEFAULT AS IDENTITY'],
      ],
      ['an extra enum value', `ALTER TYPE "IncidentStatus" ADD VALUE 'closed'`, ['enum IncidentStatus: expected values (open, acknowledged, resolved, reopened), found (open, acknowledged, resolved, reopened, closed)']],
      ['an extra table', 'CREATE TABLE foo (id integer PRIMARY KEY)', ['table foo exists in migrations but not in schema.prisma']],
    ];

    it.each(cases)('%s', async (_what, sql, differences) => {
      await client.query('BEGIN');
      try {
        await client.query(sql);
        expect(diffSchemas(expectedSchema(schemaText), await actualSchema(client))).toEqual(differences);
      } finally {
        await client.query('ROLLBACK');
      }
    });
  });

  it('a second migrate() is a no-op, and _prisma_migrations records each migration as Prisma does', async () => {
    expect(await migrate(url, silent)).toEqual([]);
    expect(diffSchemas(migrated, await actualSchema(client))).toEqual([]);

    const directories = await migrationDirectories();
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number; logs: string | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const expected = await Promise.all(
      directories.map(async (directory) => ({
        migration_name: directory,
        checksum: createHash('sha256').update(await readFile(path.join(DEFAULT_MIGRATIONS_DIR, directory, 'migration.sql'))).digest('hex'),
        rolled_back_at: null,
        applied_steps_count: 1,
        logs: null,
      })),
    );
    expect(rows.map(({ finished_at: _finished, ...row }) => row)).toEqual(expected);
    for (const row of rows) expect(row.finished_at).toBeInstanceOf(Date);
  });
});
