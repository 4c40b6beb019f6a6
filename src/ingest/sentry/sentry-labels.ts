// Sentry's levels. `error` is the level of every captured exception, so it is not critical by
// itself; a runbook that knows better names its severity, or the alert rule sets `fatal`.
const LEVEL_SEVERITY: ReadonlyMap<string, string> = new Map([
  ['fatal', 'critical'],
  ['error', 'major'],
  ['warning', 'minor'],
  ['info', 'minor'],
  ['debug', 'minor'],
]);

/** The bot's severity for a Sentry level; undefined for an unknown level (the runbook decides). */
export function severityOfLevel(level: string | null | undefined): string | undefined {
  return level ? LEVEL_SEVERITY.get(level.toLowerCase()) : undefined;
}

/** Labels without the empty ones: what runbooks match on and the incident message shows. */
export function labelSet(entries: Record<string, string | null | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}

/** `metadata.value` of an issue or event (the exception message), when it is text. */
export function metadataValue(metadata: Record<string, unknown> | null | undefined): string | undefined {
  const value = metadata?.value;
  return typeof value === 'string' ? value : undefined;
}
