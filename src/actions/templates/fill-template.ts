import type { RunbookAction } from '../../runbooks/runbook-schema.js';
import { promqlPlaceholderProblems } from './fill-promql.js';
import { labelValue, PLACEHOLDER } from './label-value.js';

const ALLOWED_IN = 'request.path, request.query values, a prometheus query and a redis key';

/** Replaces every placeholder in `text` with the checked label value, passed through `encode`. */
export function fillTemplate(text: string, labels: Record<string, string>, encode: (value: string) => string = (value) => value): string {
  return text.replace(PLACEHOLDER, (_, name: string) => encode(labelValue(labels, name)));
}

/** Placeholders where none may be, and malformed ones: one message per problem, empty when the action is fine. */
export function templateProblems(action: RunbookAction): string[] {
  const problems: string[] = [];
  const allowed = new Set<string>();
  const checkAllowed = (where: string, text: string | undefined) => {
    if (text === undefined) return;
    allowed.add(where);
    const rest = text.replace(PLACEHOLDER, '');
    if (rest.includes('{{') || rest.includes('}}')) problems.push(`${where}: malformed placeholder: only {{labels.NAME}} is supported`);
  };
  switch (action.type) {
    case 'http':
      checkAllowed('request.path', action.request.path);
      for (const [key, value] of Object.entries(action.request.query ?? {})) checkAllowed(`request.query.${key}`, value);
      break;
    case 'prometheus':
      checkAllowed('query', action.query);
      problems.push(...promqlPlaceholderProblems(action.query).map((problem) => `query: ${problem}`));
      break;
    case 'redis':
      checkAllowed('key', action.key);
      break;
    case 'postgres':
    case 'command':
      break;
  }
  visitStrings(action, '', (where, text) => {
    if (!allowed.has(where) && (text.includes('{{') || text.includes('}}'))) {
      problems.push(`${where}: a template placeholder is allowed only in ${ALLOWED_IN}`);
    }
  });
  return problems;
}

function visitStrings(value: unknown, where: string, visit: (where: string, text: string) => void): void {
  if (typeof value === 'string') return visit(where, value);
  if (Array.isArray(value)) return value.forEach((item, index) => visitStrings(item, `${where}[${index}]`, visit));
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const path = where ? `${where}.${key}` : key;
      visit(`${path} (the name)`, key);
      visitStrings(item, path, visit);
    }
  }
}
