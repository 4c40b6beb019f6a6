/** The `/incident` subcommands of stakeholder updates, subscriptions and roles. */
export type CommsCommand =
  | { name: 'update'; number?: number; text?: string }
  | { name: 'subscribe'; number?: number }
  | { name: 'unsubscribe'; number?: number }
  | { name: 'role'; role: string; who: string }
  | { name: 'roles'; number?: number };

const REFERENCE = /^INC-(\d{1,9})$/i;

function reference(token: string | undefined): number | undefined {
  const match = REFERENCE.exec(token ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Parses one of these subcommands; undefined when `first` is none of them, `bad` when its arguments are wrong. */
export function parseCommsCommand(first: string, rest: readonly string[], tail: string): CommsCommand | 'bad' | undefined {
  const number = reference(rest[0]);
  const at = number !== undefined ? { number } : {};
  switch (first) {
    case 'update': {
      const text = (number !== undefined ? tail.replace(/^\S+\s*/, '') : tail).trim();
      return { name: 'update', ...at, ...(text ? { text: text.slice(0, 3_000) } : {}) };
    }
    case 'subscribe':
    case 'unsubscribe':
      if (rest.length > 0 && number === undefined) return 'bad';
      return { name: first, ...at };
    case 'role': {
      const [role, who] = rest;
      return role && who && rest.length === 2 ? { name: 'role', role: role.toLowerCase(), who } : 'bad';
    }
    case 'roles':
      return { name: 'roles', ...at };
    default:
      return undefined;
  }
}
