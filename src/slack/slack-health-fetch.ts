import { z } from 'zod';
import type { Metrics } from '../metrics.js';
import { blocksSlackWork, type SlackHealth } from './slack-health.js';

const slackAnswer = z.looseObject({ ok: z.boolean(), error: z.string().optional(), needed: z.string().optional() });

function methodOf(input: string | URL | Request): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return new URL(url).pathname.split('/').pop() ?? '';
}

/**
 * A fetch for the Slack Web API client that watches every answer: it counts Slack's errors by the
 * method called, tells SlackHealth whether Slack is reachable and accepts the token, and while
 * Slack refuses the token (or a scope a method needs) answers those calls with that refusal
 * itself instead of sending them (so a wrong token costs one call, not one per job and retry).
 */
export function slackHealthFetch(health: SlackHealth, metrics: Metrics, inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const method = methodOf(input);
    const block = health.blockedFor(method);
    if (block) return Response.json({ ok: false, error: block.error, ...(block.needed ? { needed: block.needed } : {}) });
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      // fetch itself fails with a TypeError when Slack cannot be reached; other errors are ours (pacing).
      if (error instanceof TypeError) {
        metrics.slackApiErrors.inc({ method, error: 'unreachable' });
        health.unreachable(error);
      }
      throw error;
    }
    if (!(response.headers.get('content-type') ?? '').includes('json')) {
      if (response.status >= 500) metrics.slackApiErrors.inc({ method, error: `http_${response.status}` });
      return response;
    }
    const answer = slackAnswer.safeParse(await response.clone().json().catch(() => undefined));
    if (!answer.success) return response;
    if (answer.data.ok) {
      health.answered();
    } else {
      metrics.slackApiErrors.inc({ method, error: answer.data.error ?? 'unknown' });
      if (blocksSlackWork(answer.data.error)) health.refused(method, { error: answer.data.error as string, ...(answer.data.needed ? { needed: answer.data.needed } : {}) });
      else health.answered();
    }
    return response;
  };
}
