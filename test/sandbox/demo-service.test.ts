import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { ActionResult } from '../../src/actions/action-result.js';
import { executeAction } from '../../src/actions/execute-action.js';
import { loadConfigFile, type BotConfig } from '../../src/config/config-file.js';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import type { Runbook } from '../../src/runbooks/runbook.js';
import { startDemoService, type DemoService } from '../../src/sandbox/demo/demo-service.js';
import { demoTargetEnv } from '../../src/sandbox/demo/demo-target-env.js';
import { movableClock } from '../support/clock.js';
import { createTestDatabase } from '../support/databases.js';
import { REDIS_URL, RUNBOOKS_DIR, SHIPPED_CONFIG } from '../support/test-bot.js';

const log = pino({ level: 'silent' });

describe('the sandbox demo application behind the shipped config', () => {
  const clock = movableClock('2026-12-01T10:00:00Z');
  let demo: DemoService;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: BotConfig;
  let runbooks: Runbook[];

  beforeAll(async () => {
    demo = await startDemoService({ clock, log });
    database = await createTestDatabase();
    config = await loadConfigFile(SHIPPED_CONFIG, demoTargetEnv(demo.url, { DATABASE_URL: database.url, REDIS_URL }, {}));
    runbooks = await loadRunbooks(RUNBOOKS_DIR);
  });
  afterAll(async () => {
    await demo.stop();
    await database.drop();
  });

  async function run(runbookId: string, actionId: string): Promise<ActionResult> {
    const action = runbooks.find((runbook) => runbook.id === runbookId)?.actions.find((candidate) => candidate.id === actionId);
    if (!action) throw new Error(`no action ${runbookId}/${actionId}`);
    const target = config.targets[action.target];
    if (!target) throw new Error(`no target ${action.target}`);
    return executeAction(action, { target, labels: { job: 'api', alertname: 'Demo', queue: 'bulk' }, signal: new AbortController().signal, timeoutMs: 10_000, log });
  }

  it('answers every diagnostic and mitigation of every shipped runbook, healthy', async () => {
    const outcomes: string[] = [];
    for (const runbook of runbooks) {
      for (const action of runbook.actions) {
        const result = await run(runbook.id, action.id).then(
          (answer) => `${answer.ok ? 'ok' : 'NOT OK'}: ${answer.summary}`,
          (error: unknown) => `FAILED: ${String(error)}`,
        );
        outcomes.push(`${runbook.id}/${action.id} ${result}`);
      }
    }
    expect(outcomes.length).toBeGreaterThan(100);
    // pg_stat_statements is an extension the demo database does not load: the answer says so.
    expect(outcomes.filter((line) => !line.includes(' ok: '))).toEqual(['slow-database/top-statements NOT OK: query failed: relation "pg_stat_statements" does not exist (42P01)']);
  });

  it('pauses and resumes its job queue, and the diagnostics show it', async () => {
    const running = () => run('job-queue-backlog', runbooks.find((runbook) => runbook.id === 'job-queue-backlog')?.actions.find((action) => action.type === 'prometheus' && action.query.includes('jobs_queue_running'))?.id ?? '');
    expect((await running()).figures.value).toBe(4);

    const paused = await run('job-queue-backlog', 'pause-jobs');
    expect(paused).toMatchObject({ ok: true, figures: { status: 202 } });
    expect(paused.output).toContain('"paused":true');
    expect((await running()).figures.value).toBe(0);
    const health = await run('db-connection-failures', runbooks.find((runbook) => runbook.id === 'db-connection-failures')?.actions.find((action) => action.type === 'http' && action.kind === 'diagnostic')?.id ?? '');
    expect(health.output).toContain('"paused":true');

    await run('job-queue-backlog', 'resume-jobs');
    expect((await running()).figures.value).toBe(4);
  });

  it('invalidates its cache: the hit ratio drops below the runbook threshold, then recovers', async () => {
    const hitRatio = () => run('stale-cache', runbooks.find((runbook) => runbook.id === 'stale-cache')?.actions.find((action) => action.type === 'prometheus' && action.query.includes('cache_hits_total'))?.id ?? '');
    clock.advance(15 * 60_000);
    expect((await hitRatio()).ok).toBe(true);
    const mitigation = runbooks.find((runbook) => runbook.id === 'stale-cache')?.actions.find((action) => action.kind === 'mitigation');
    const invalidated = await run('stale-cache', mitigation?.id ?? '');
    expect(invalidated.ok).toBe(true);
    expect(invalidated.output).toContain('"invalidated":["sessions","user-profiles","roles"]');
    const cold = await hitRatio();
    expect(cold.ok).toBe(false);
    expect(cold.summary).toContain('threshold crossed');
    clock.advance(15 * 60_000);
    expect((await hitRatio()).ok).toBe(true);
  });
});
