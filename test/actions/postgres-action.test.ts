import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ActionInputError, ActionTargetError, ActionTimeoutError } from '../../src/actions/action-result.js';
import { executeAction } from '../../src/actions/execute-action.js';
import { TEST_PG_URL } from '../support/databases.js';
import { action, context, rejection, target } from './support/action-context.js';
import { freePort } from '../support/free-port.js';

const db = () => target({ type: 'postgres', url: TEST_PG_URL });
const sql = (query: string) => action({ type: 'postgres', query });

async function tableExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    const result = await client.query<{ found: string | null }>('select to_regclass($1)::text as found', [name]);
    return result.rows[0]?.found !== null;
  } finally {
    await client.end();
  }
}

describe('postgres actions', () => {
  it('runs select 1: row count, latency and the first value', async () => {
    const result = await executeAction(sql('select 1'), context(db()));
    expect(result.ok).toBe(true);
    expect(result.figures).toMatchObject({ rowCount: 1, value: 1, latencyMs: expect.any(Number) });
    expect(result.summary).toMatch(/^1 row in \d+ ms: 1$/);
  });

  it('shows rows as an aligned table, cut at 100 rows', async () => {
    const result = await executeAction(sql("select g as n, repeat('x', g % 7) as label, g % 2 = 0 as even from generate_series(1, 150) g"), context(db()));
    expect(result.figures.rowCount).toBe(150);
    const lines = result.output.split('\n');
    expect(lines).toContain('n   | label  | even');
    expect(lines).toContain('1   | x      | f');
    expect(result.output).toContain('[50 more rows not shown]');
    expect(result.output).not.toContain('\n101 ');
  });

  it('types the first value: null, boolean, text', async () => {
    expect((await executeAction(sql('select null::int'), context(db()))).figures.value).toBeNull();
    expect((await executeAction(sql('select true'), context(db()))).figures.value).toBe(true);
    expect((await executeAction(sql("select interval '90 seconds'"), context(db()))).figures.value).toBe('00:01:30');
  });

  it('refuses writes: the transaction is read-only and nothing is created', async () => {
    const table = `action_test_${randomBytes(4).toString('hex')}`;
    const result = await executeAction(sql(`create table ${table} (id int)`), context(db()));
    expect(result.ok).toBe(false);
    expect(result.summary).toContain('cannot execute CREATE TABLE in a read-only transaction');
    expect(await tableExists(table)).toBe(false);
  });

  it('refuses several statements, so COMMIT cannot end the read-only transaction', async () => {
    const table = `action_test_${randomBytes(4).toString('hex')}`;
    const error = await rejection(executeAction(sql(`select 1; commit; create table ${table} (id int)`), context(db())));
    expect(error).toBeInstanceOf(ActionInputError);
    expect(await tableExists(table)).toBe(false);
  });

  it('reports a failing query as a failed result', async () => {
    const result = await executeAction(sql('select * from no_such_table_here'), context(db()));
    expect(result.ok).toBe(false);
    expect(result.summary).toContain('relation "no_such_table_here" does not exist (42P01)');
  });

  it('throws ActionTimeoutError for a query longer than the timeout', async () => {
    const error = await rejection(executeAction(sql('select pg_sleep(30)'), context(db(), { timeoutMs: 500 })));
    expect(error).toBeInstanceOf(ActionTimeoutError);
  });

  it('throws ActionTargetError when Postgres is down, without showing the password', async () => {
    const down = target({ type: 'postgres', url: `postgresql://postgres:s3cret-pg-pw@127.0.0.1:${await freePort()}/postgres` });
    const error = await rejection(executeAction(sql('select 1'), context(down)));
    expect(error).toBeInstanceOf(ActionTargetError);
    expect(error.message).not.toContain('s3cret-pg-pw');
  });

  it('never shows the password of a working connection', async () => {
    const url = new URL(TEST_PG_URL);
    url.password = 's3cret-pg-pw';
    const result = await executeAction(sql("select current_setting('application_name') as app"), context(target({ type: 'postgres', url: url.toString() })));
    expect(result.figures.value).toBe('incident-bot');
    expect(`${result.summary}${result.output}`).not.toContain('s3cret-pg-pw');
  });
});
