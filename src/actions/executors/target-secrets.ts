import type { Target } from '../../config/config-file.js';

const SECRET_NAME = /pass|secret|token|key|auth|credential|signature/i;
const MIN_LENGTH = 3;
const AUTH_SCHEME = /^(basic|bearer|digest|token)$/i;

/**
 * The values of a target that must never be shown: URL passwords, secret-looking query
 * parameters, every configured header value (and each word of it, e.g. the token after
 * "Bearer"), and command environment variables with secret-looking names.
 */
export function targetSecrets(target: Target): string[] {
  const secrets: string[] = [];
  if ('url' in target) {
    secrets.push(...urlSecrets(target.url));
  }
  if ('headers' in target) {
    for (const value of Object.values(target.headers)) secrets.push(value, ...value.split(/\s+/).filter((word) => !AUTH_SCHEME.test(word)));
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
  if (url.password) {
    const basic = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
    secrets.push(url.password, decodeURIComponent(url.password), basic);
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
