import { ActionInputError } from '../action-result.js';
import { labelValue, PLACEHOLDER } from './label-value.js';

interface PlaceholderSite {
  start: number;
  end: number;
  name: string;
  /** The quote of the string literal around it, or null when it stands outside one. */
  quote: '"' | "'" | '`' | null;
  /** The literal follows `=~` or `!~`, so it is a regular expression. */
  regex: boolean;
}

/** Where each placeholder of a PromQL query sits: inside which string literal, if any. */
function placeholderSites(query: string): PlaceholderSite[] {
  const quoteAt: Array<PlaceholderSite['quote']> = [];
  const regexAt: boolean[] = [];
  let quote: PlaceholderSite['quote'] = null;
  let regex = false;
  let comment = false;
  for (let i = 0; i < query.length; i++) {
    const char = query[i]!;
    quoteAt[i] = quote;
    regexAt[i] = regex;
    if (comment) {
      if (char === '\n') comment = false;
    } else if (quote) {
      if (char === '\\' && quote !== '`') {
        quoteAt[i + 1] = quote;
        regexAt[i + 1] = regex;
        i++;
      } else if (char === quote) quote = null;
    } else if (char === '#') comment = true;
    else if (char === '"' || char === "'" || char === '`') {
      quote = char;
      regex = /[=!]~\s*$/.test(query.slice(0, i));
    }
  }
  return [...query.matchAll(PLACEHOLDER)].map((match) => {
    const start = match.index;
    const end = start + match[0].length;
    const inside = quoteAt[start] ?? null;
    // The whole placeholder must lie in one literal: the literal is still open at its last character.
    const sameLiteral = inside !== null && quoteAt[end - 1] === inside && !query.slice(start, end).includes(inside);
    return { start, end, name: match[1]!, quote: sameLiteral ? inside : null, regex: regexAt[start] ?? false };
  });
}

/** Placeholders that stand outside a quoted PromQL string, e.g. `job="{{labels.job}}"` is fine, `{{labels.job}}` alone is not. */
export function promqlPlaceholderProblems(query: string): string[] {
  return placeholderSites(query).flatMap((site) => {
    if (site.quote === null) return [`{{labels.${site.name}}} must stand inside a quoted string, e.g. job="{{labels.${site.name}}}"`];
    if (site.quote === '`') return [`{{labels.${site.name}}} must stand inside a "double" or 'single' quoted string, not a raw string`];
    return [];
  });
}

/** Fills a PromQL query's placeholders, escaped for the string literal (and regular expression) around each. */
export function fillPromQL(query: string, labels: Record<string, string>): string {
  const problems = promqlPlaceholderProblems(query);
  if (problems.length > 0) throw new ActionInputError(`query: ${problems.join('; ')}`);
  let filled = query;
  for (const site of placeholderSites(query).reverse()) {
    let value = labelValue(labels, site.name);
    if (site.regex) value = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const quote = site.quote ?? '"';
    value = value.replace(/\\/g, '\\\\').replaceAll(quote, `\\${quote}`);
    filled = filled.slice(0, site.start) + value + filled.slice(site.end);
  }
  return filled;
}
