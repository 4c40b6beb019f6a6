import type { Target } from '../../config/config-file.js';
import { urlCredentials } from './url-credentials.js';

const SECRET_NAME = /pass|secret|token|key|auth|credential|signature/i;
const MIN_LENGTH = 3;
const AUTH_SCHEME = /^(basic|bearer|digest|token)$/i;
/** Headers that never carry a secret; every other configured header value is treated as one. */
const PLAIN_HEADERS = new Set(['accept', 'accept-encoding', 'accept-language', 'content-type', 'user-agent', 'cache-control']);

/**
 * The values of a target that must never be shown: URL passwords, secret-looking query
 * parameters, configured header values (and each word of them, e.g. the token after "Bearer")
 * but for a few plain headers, and command environment variables with secret-looking names.
 * Values shorter than 3 characters are not searched for.
 */
export function targetSecrets(target: Target): string[] {
  const secrets: string[] = [];
  if ('url' in target) {
    secrets.push(...urlSecrets(target.url));
  }
  if ('headers' in target) {
    for (const [name, value] of Object.entries(target.headers)) {
      if (!PLAIN_HEADERS.has(name.toLowerCase())) secrets.push(value, ...value.split(/\s+/).filter((word) => !AUTH_SCHEME.test(word)));
    }
  }
  if (target.type === 'command') {
    for (const [name, value] of Object.entries(target.env)) if (SECRET_NAME.test(name)) secrets.push(value);
  }
  return [...new Set(secrets.filter((secret) => secret.length >= MIN_LENGTH))].sort((a, b) => b.length - a.length);
}

function urlSecrets(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [text];
  }
  const secrets: string[] = [];
  const credentials = urlCredentials(url);
  if (credentials?.password) {
    secrets.push(url.password, credentials.password, Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'));
  }
  for (const [name, value] of url.searchParams) if (SECRET_NAME.test(name)) secrets.push(value, encodeURIComponent(value));
  return secrets;
}

/** `text` with every secret replaced by `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.replaceAll(secret, '[redacted]');
  return result;
}
