const STEP = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[(["'])((?:(?!\3).)*)\3\])/;

/** The steps of a path such as `$.dependencies.database`, `$.items[0].name` or `$['a-b']`; null when malformed. */
export function parseJsonPath(path: string): Array<string | number> | null {
  if (!path.startsWith('$')) return null;
  const steps: Array<string | number> = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = STEP.exec(rest);
    if (!match) return null;
    steps.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? match[4] ?? ''));
    rest = rest.slice(match[0].length);
  }
  return steps;
}

/** Follows `path` into a parsed JSON value: `{ found: false }` when a step does not exist. */
export function readJsonPath(value: unknown, path: string): { found: true; value: unknown } | { found: false } {
  const steps = parseJsonPath(path);
  if (!steps) return { found: false };
  let current = value;
  for (const step of steps) {
    if (typeof step === 'number' ? !Array.isArray(current) || step >= current.length : current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, step)) {
      return { found: false };
    }
    current = (current as Record<string | number, unknown>)[step];
  }
  return { found: true, value: current };
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => jsonEquals(item, b[index]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => Object.hasOwn(b, key) && jsonEquals((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
