const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-fallback}` in every string of a parsed YAML tree. Every variable
 * that is not set is reported at once (`where: message` each), so one start names them all.
 */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, fail: (problems: string[]) => Error): unknown {
  const problems: string[] = [];
  const result = walk(value, env, problems, '(top level)');
  if (problems.length > 0) throw fail(problems);
  return result;
}

function walk(value: unknown, env: NodeJS.ProcessEnv, problems: string[], where: string): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push(`${where}: uses \${${name}}, but the environment variable ${name} is not set`);
      return match;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => walk(item, env, problems, `${where}.${index}`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, env, problems, where === '(top level)' ? key : `${where}.${key}`)]));
  }
  return value;
}
