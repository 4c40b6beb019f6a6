import { ActionInputError } from '../action-result.js';

/** `{{labels.NAME}}`, the only placeholder there is. */
export const PLACEHOLDER = /\{\{\s*labels\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const SAFE_VALUE = /^[A-Za-z0-9_.:@-]{1,200}$/;

/** The value of label `name`, refused (ActionInputError) when missing or not plainly safe. */
export function labelValue(labels: Record<string, string>, name: string): string {
  const value = labels[name];
  if (value === undefined) throw new ActionInputError(`the alert has no label "${name}" for {{labels.${name}}}`);
  if (!SAFE_VALUE.test(value) || value.includes('..') || value === '.') {
    throw new ActionInputError(
      `label "${name}" = ${JSON.stringify(value.slice(0, 60))} cannot fill a template: allowed are 1 to 200 letters, digits and _ . : @ -, without ".."`,
    );
  }
  return value;
}
