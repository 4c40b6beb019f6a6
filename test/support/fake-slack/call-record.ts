import type { ApiArgs } from '../../../src/sandbox/slack-api/types.js';

/** One HTTP request seen by the fake (API methods and upload-URL posts), including refused ones. */
export interface CallRecord {
  method: string;
  args: ApiArgs;
  /** Arrival time, ms since epoch. */
  at: number;
  ok: boolean;
  error?: string;
  /** HTTP status returned. */
  status: number;
}
