import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { CallRecord } from '../../test/support/fake-slack/index.js';
import type { BenchBot } from './bot-harness.js';
import { benchPayload, WEBHOOK_PATH } from './payloads.js';

export interface RunbookLatencyResult {
  groups: number;
  /** Webhook sent → 2xx read. */
  ackMs: number[];
  /** Webhook sent → fake Slack handled conversations.create for the group's channel. */
  channelMs: number[];
  /** Webhook sent → fake Slack handled the chat.postMessage carrying the incident message. */
  postedMs: number[];
  /** Incident messages that carried the runbook (a "Runbook" section in their blocks). */
  withRunbook: number;
  timeouts: number;
  failures: string[];
}

/**
 * Sends `groups` new alert groups one at a time (the next only once the previous one's message
 * has reached Slack) and times each from just before the POST until the fake Slack has handled
 * the `chat.postMessage` carrying its incident message. The client runs in the bot's process so
 * that both timestamps come from the same monotonic clock. `warmup` groups go first, unmeasured.
 */
export async function measureRunbookLatency(bot: BenchBot, options: { groups: number; warmup: number; alertsPerDelivery: number; timeoutMs: number }): Promise<RunbookLatencyResult> {
  const pool = new Pool(bot.url, { connections: 1, pipelining: 1 });
  const result: RunbookLatencyResult = { groups: 0, ackMs: [], channelMs: [], postedMs: [], withRunbook: 0, timeouts: 0, failures: [] };
  try {
    for (let index = 0; index < options.warmup + options.groups; index++) {
      const measured = index >= options.warmup;
      const tag = `bench-lat-${index}`;
      // The marker ends the incident title, hence the channel name and the message text.
      const body = JSON.stringify(benchPayload(`latency-${index}`, options.alertsPerDelivery, `API cannot reach its database ${tag}`));

      let channelAt: number | undefined;
      let posted: ((value: { at: number; call: CallRecord }) => void) | undefined;
      const postedPromise = new Promise<{ at: number; call: CallRecord }>((resolve) => (posted = resolve));
      const unsubscribe = bot.onSlackCall((call, at) => {
        if (!call.ok) return;
        if (call.method === 'conversations.create' && String(call.args.name ?? '').endsWith(`-${tag}`)) channelAt ??= at;
        if (call.method === 'chat.postMessage' && call.args.thread_ts === undefined && String(call.args.text ?? '').includes(tag)) posted?.({ at, call });
      });
      let timer: NodeJS.Timeout | undefined;
      try {
        const t0 = performance.now();
        const response = await pool.request({ path: WEBHOOK_PATH, method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await response.body.text();
        const ackAt = performance.now();
        if (response.statusCode !== 200 || !text.includes('"status":"accepted"')) {
          result.failures.push(`group ${index}: HTTP ${response.statusCode} ${text.slice(0, 200)}`);
          continue;
        }
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)));
        const outcome = await Promise.race([postedPromise, timeout]);
        if (!measured) continue;
        result.groups++;
        if (outcome === 'timeout') {
          result.timeouts++;
          continue;
        }
        result.ackMs.push(ackAt - t0);
        if (channelAt !== undefined) result.channelMs.push(channelAt - t0);
        result.postedMs.push(outcome.at - t0);
        if (JSON.stringify(outcome.call.args.blocks ?? '').includes('Runbook')) result.withRunbook++;
      } finally {
        clearTimeout(timer);
        unsubscribe();
      }
    }
  } finally {
    await pool.close();
  }
  return result;
}
