/** `/incident <subcommand> [text]` as a typed command; anything unknown becomes help. */
export type IncidentCommand = { name: 'help'; unknown?: string } | { name: 'status' } | { name: 'runbook'; runbookId?: string };

export function parseIncidentCommand(text: string): IncidentCommand {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const sub = first.toLowerCase();
  switch (sub) {
    case '':
    case 'help':
      return { name: 'help' };
    case 'status':
      return { name: 'status' };
    case 'runbook':
      return rest[0] ? { name: 'runbook', runbookId: rest[0].toLowerCase() } : { name: 'runbook' };
    default:
      return { name: 'help', unknown: [first, ...rest].join(' ').slice(0, 100) };
  }
}
