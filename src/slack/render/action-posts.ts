import type { KnownBlock } from '@slack/types';
import type { ActionRun } from '../../db/client.js';
import { LIMITS, context, fields, section, truncate } from './block-kit.js';
import { escapeMrkdwn } from './mrkdwn.js';

const OUTPUT_SHOWN = 2_500;

const OUTCOME: Record<string, { icon: string; word: string }> = {
  succeeded: { icon: '✅', word: 'succeeded' },
  failed: { icon: '❌', word: 'failed' },
  timed_out: { icon: '⏱️', word: 'timed out' },
  outcome_unknown: { icon: '⚠️', word: 'outcome unknown' },
};

export function renderActionStarted(run: ActionRun): { text: string; blocks: KnownBlock[] } {
  const text = `⏳ Running *${escapeMrkdwn(run.label)}* (${run.kind}) requested by <@${run.requestedBy}>`;
  return { text, blocks: [section(text)] };
}

/** The result in the thread: outcome, key figures and a trimmed output (the full output is in Postgres). */
export function renderActionResult(run: ActionRun): { text: string; blocks: KnownBlock[] } {
  const outcome = OUTCOME[run.status] ?? { icon: '•', word: run.status };
  const duration = run.durationMs === null ? '' : run.durationMs < 1_000 ? ` in ${run.durationMs} ms` : ` in ${(run.durationMs / 1_000).toFixed(1)} s`;
  const attempts = run.attempts > 1 ? ` after ${run.attempts} attempts` : '';
  const headline = `${outcome.icon} *${escapeMrkdwn(run.label)}* ${outcome.word}${duration}${attempts} · requested by <@${run.requestedBy}>`;
  const blocks: KnownBlock[] = [section(`${headline}${run.summary ? `\n${escapeMrkdwn(run.summary)}` : ''}`)];
  // A figure or output that only repeats the summary (Redis's PONG) is shown once.
  const repeats = (value: unknown) => run.summary !== null && String(value).trim() === run.summary.trim();
  const figures = Object.entries((run.figures ?? {}) as Record<string, unknown>).filter(([, value]) => value !== null && value !== undefined && !repeats(value));
  if (figures.length > 0) blocks.push(...fields(figures.slice(0, 10).map(([key, value]) => `*${escapeMrkdwn(key)}*\n${escapeMrkdwn(String(value))}`)));
  const output = run.output?.trim();
  if (output && !repeats(output)) {
    const shown = truncate(output, OUTPUT_SHOWN);
    blocks.push(section(`\`\`\`${escapeMrkdwn(shown).replaceAll('```', "'''")}\`\`\``));
    if (output.length > OUTPUT_SHOWN) blocks.push(context([`Output trimmed: ${output.length} characters in all, kept with the incident (run ${run.id}).`]));
  }
  return { text: truncate(`${outcome.icon} ${escapeMrkdwn(run.label)} ${outcome.word}${duration}`, LIMITS.messageText), blocks };
}
