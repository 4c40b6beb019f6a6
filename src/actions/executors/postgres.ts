import pg from 'pg';
import type { Target } from '../../config/config-file.js';
import type { RunbookAction } from '../../runbooks/runbook-schema.js';
import { ActionInputError, ActionTargetError, ActionTimeoutError, type ActionContext, type ActionResult } from '../action-result.js';
import { textTable } from './text-table.js';
import { unreachable } from './unreachable.js';

type PostgresAction = Extract<RunbookAction, { type: 'postgres' }>;
type PostgresTarget = Extract<Target, { type: 'postgres' }>;

const SHOWN_ROWS = 100;
const NUMBER_TYPES = new Set([20, 21, 23, 26, 700, 701, 1700]);
const BOOLEAN_TYPE = 16;
/** Every value comes back as Postgres prints it: the table shows what psql would. */
const asText: typeof pg.types.getTypeParser = () => (value: string | Buffer) => (typeof value === 'string' ? value : value.toString('utf8'));

/**
 * Runs the query in a READ ONLY transaction with a statement timeout, then rolls back. The
 * extended query protocol refuses several statements in one query, so `select 1; commit; …`
 * cannot end the read-only transaction early.
 */
export async function runPostgres(action: PostgresAction, target: PostgresTarget, ctx: ActionContext): Promise<ActionResult> {
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: ctx.timeoutMs, application_name: 'incident-bot', types: { getTypeParser: asText } });
  client.on('error', () => undefined);
  const close = () => client.end().catch(() => undefined);
  ctx.signal.addEventListener('abort', close, { once: true });
  try {
    await client.connect().catch((error: unknown) => {
      throw unreachable(error, 'Postgres', ctx.signal);
    });
    const started = performance.now();
    let result: pg.QueryArrayResult;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(ctx.timeoutMs))}`);
      result = await client.query({ text: action.query, rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig);
    } catch (error) {
      return queryFailed(error, action.query, ctx.signal);
    }
    const latencyMs = Math.round(performance.now() - started);
    await client.query('ROLLBACK').catch(() => undefined);
    return describe(result, action.query, latencyMs);
  } finally {
    ctx.signal.removeEventListener('abort', close);
    await close();
  }
}

function describe(result: pg.QueryArrayResult, query: string, latencyMs: number): ActionResult {
  const rows = result.rows.map((row) => row.map((value) => (value === null ? 'null' : String(value))));
  const rowCount = result.rowCount ?? rows.length;
  const firstField = result.fields[0];
  const firstRaw = result.rows[0]?.[0] as string | null | undefined;
  const value = firstRaw === undefined || firstRaw === null || !firstField ? null : typed(firstRaw, firstField.dataTypeID);
  const table = result.fields.length > 0 ? textTable(result.fields.map((field) => field.name), rows.slice(0, SHOWN_ROWS)) : `${result.command} ${rowCount}`;
  const cut = rows.length > SHOWN_ROWS ? `\n[${rows.length - SHOWN_ROWS} more rows not shown]` : '';
  const single = rows.length === 1 && result.fields.length === 1 ? `: ${rows[0]?.[0]}` : '';
  return {
    ok: true,
    summary: `${rowCount} ${rowCount === 1 ? 'row' : 'rows'} in ${latencyMs} ms${single}`,
    figures: { rowCount, latencyMs, value },
    output: `${query}\n\n${table}${cut}\n(${rowCount} ${rowCount === 1 ? 'row' : 'rows'}, ${latencyMs} ms)`,
  };
}

function typed(text: string, typeId: number): string | number | boolean {
  if (NUMBER_TYPES.has(typeId) && Number.isFinite(Number(text))) return Number(text);
  if (typeId === BOOLEAN_TYPE) return text === 't';
  return text;
}

function queryFailed(error: unknown, query: string, signal: AbortSignal): ActionResult {
  if (!(error instanceof pg.DatabaseError) || signal.aborted) throw unreachable(error, 'Postgres', signal);
  const code = error.code ?? '';
  if (code === '57014') throw new ActionTimeoutError(`Postgres cancelled the query: ${error.message}`);
  if (code === '42601') throw new ActionInputError(`the query is not valid SQL (one statement per action): ${error.message}`);
  if (/^(08|53|57P|58)/.test(code)) throw new ActionTargetError(`Postgres cannot run the query: ${error.message} (${code})`);
  const summary = code === '25006' ? `refused: ${error.message}` : `query failed: ${error.message} (${code})`;
  return { ok: false, summary, figures: { rowCount: 0, value: null, sqlstate: code }, output: `${query}\n\n${summary}` };
}
