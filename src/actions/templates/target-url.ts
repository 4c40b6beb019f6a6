import { ActionInputError } from '../action-result.js';

/**
 * `path` (already filled) resolved under the target's URL, keeping its base path: a target
 * `http://api:8080/ops` and path `/health` give `http://api:8080/ops/health`. Credentials are
 * left out; the result must keep the target's origin and stay under its base path.
 */
export function targetUrl(base: string, path: string, query: Record<string, string> = {}): URL {
  const root = new URL(base);
  root.username = '';
  root.password = '';
  root.hash = '';
  if (!root.pathname.endsWith('/')) root.pathname += '/';
  // "./" keeps a first segment such as "a:b" from reading as a URL scheme.
  const url = new URL(`./${path.replace(/^\/+/, '')}`, root);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) {
    throw new ActionInputError(`the path ${JSON.stringify(path)} leaves the target (${root.origin}${root.pathname})`);
  }
  for (const [name, value] of root.searchParams) if (!url.searchParams.has(name)) url.searchParams.append(name, value);
  for (const [name, value] of Object.entries(query)) url.searchParams.append(name, value);
  return url;
}
