/**
 * A target's configured headers, names in lower case, plus HTTP Basic credentials taken
 * from its URL (`http://user:pass@host`) unless it sets Authorization itself.
 */
export function targetHeaders(target: { url: string; headers: Record<string, string> }): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(target.headers)) headers[name.toLowerCase()] = value;
  const url = new URL(target.url);
  if ((url.username || url.password) && headers.authorization === undefined) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  return headers;
}
