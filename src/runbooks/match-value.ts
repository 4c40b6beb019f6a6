/** A compiled match value: exact strings (any of) or one regular expression. */
export type CompiledMatchValue = { kind: 'exact'; values: string[] } | { kind: 'regex'; regex: RegExp };

const REGEX_LITERAL = /^\/(.+)\/([dgimsuy]*)$/;

/** Compiles `value`, `[a, b]` or `/regex/flags`; throws on an invalid regular expression. */
export function compileMatchValue(value: string | string[]): CompiledMatchValue {
  if (Array.isArray(value)) return { kind: 'exact', values: value };
  const literal = REGEX_LITERAL.exec(value);
  if (!literal) return { kind: 'exact', values: [value] };
  try {
    return { kind: 'regex', regex: new RegExp(literal[1] ?? '', (literal[2] ?? '').replace('g', '')) };
  } catch (error) {
    throw new Error(`invalid regular expression ${value}: ${(error as Error).message}`);
  }
}

export function matchesValue(compiled: CompiledMatchValue, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return compiled.kind === 'exact' ? compiled.values.includes(actual) : compiled.regex.test(actual);
}
