import { urlCredentials } from './url-credentials.js';

/**
 * A target's configured headers, names in lower case, plus HTTP Basic credentials taken
 * from its URL (`http://user:pass@host`) unless it sets Authorization itself.
 */
export function targetHeaders(target: { url: string; headers: Record<string, string> }): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(target.headers)) headers[name.toLowerCase()] = value;
  const credentials = urlCredentials(new URL(target.url));
  if (credentials && headers.authorization === undefined) {
    headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }
  return headers;
}
