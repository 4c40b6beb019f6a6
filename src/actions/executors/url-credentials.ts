/** The decoded user name and password of a URL such as `http://user:pa%40ss@host`, or null without any. */
export function urlCredentials(url: URL): { username: string; password: string } | null {
  if (!url.username && !url.password) return null;
  return { username: decoded(url.username), password: decoded(url.password) };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
