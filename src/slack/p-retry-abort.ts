import { createRequire } from 'node:module';

// @slack/web-api retries every failed call (p-retry) except a p-retry AbortError; a failure that
// must not be retried inside the client is wrapped in the very AbortError class the client checks
// with instanceof: loaded from the client's own dependencies.
const requireFromWebApi = createRequire(createRequire(import.meta.url).resolve('@slack/web-api'));

/** p-retry's AbortError, as @slack/web-api sees it: the client gives the call up at once. */
export const { AbortError } = requireFromWebApi('p-retry') as { AbortError: new (error: Error) => Error };
