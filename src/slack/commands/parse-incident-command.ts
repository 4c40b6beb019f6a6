/** `/incident <subcommand> [text]` as a typed command; anything unknown becomes help. */
export type IncidentCommand = { name: 'help'; unknown?: string } | { name: 'status' };

export function parseIncidentCommand(text: string): IncidentCommand {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const sub = first.toLowerCase();
  switch (sub) {
    case '':
    case 'help':
      return { name: 'help' };
    case 'status':
      return { name: 'status' };
    default:
      return { name: 'help', unknown: [first, ...rest].join(' ').slice(0, 100) };
  }
}
