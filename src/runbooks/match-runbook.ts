import type { MatchSubject, Runbook } from './runbook.js';
import { compileMatchValue, matchesValue } from './match-value.js';

interface Candidate {
  runbook: Runbook;
  keys: number;
  exactKeys: number;
}

/**
 * Picks the runbook for an alert. A runbook matches when any of its match entries has all keys
 * matching (`source` compares with the alert source, other keys with labels). The most specific
 * entry wins: more keys, then more exact (non-regex) keys, then the runbook id in alphabetical
 * order, so ties are deterministic. Nothing matches: the default runbook, if there is one.
 */
export function matchRunbook(runbooks: readonly Runbook[], subject: MatchSubject): Runbook | undefined {
  let best: Candidate | undefined;
  for (const runbook of runbooks) {
    for (const rule of runbook.match) {
      const entries = Object.entries(rule);
      const matched = entries.every(([key, value]) => matchesValue(compileMatchValue(value), key === 'source' ? subject.source : subject.labels[key]));
      if (!matched) continue;
      const candidate = { runbook, keys: entries.length, exactKeys: entries.filter(([, value]) => compileMatchValue(value).kind === 'exact').length };
      if (!best || isMoreSpecific(candidate, best)) best = candidate;
    }
  }
  return best?.runbook ?? runbooks.find((runbook) => runbook.isDefault);
}

function isMoreSpecific(a: Candidate, b: Candidate): boolean {
  if (a.keys !== b.keys) return a.keys > b.keys;
  if (a.exactKeys !== b.exactKeys) return a.exactKeys > b.exactKeys;
  return a.runbook.id < b.runbook.id;
}
