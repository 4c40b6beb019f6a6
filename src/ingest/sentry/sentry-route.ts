import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Deps } from '../../deps.js';
import { NotFoundError, UnavailableError, UnsupportedMediaTypeError, ValidationError } from '../../errors.js';
import { readBody } from '../../http/read-body.js';
import { sendJson } from '../../http/respond.js';
import type { Handler } from '../../http/router.js';
import { deliveryAcceptor } from '../accept-delivery.js';
import { parseJsonBody } from '../parse-json-body.js';
import { sentryAlertStatus } from './sentry-alert-status.js';
import { sentryBatch } from './sentry-batch.js';
import { isSentryResource, parseSentryWebhook, sentryResourceOf } from './sentry-payload.js';
import { sentrySignatureHeader, verifySentrySignature } from './sentry-signature.js';

function invalidPayload(what: string, error: z.ZodError): ValidationError {
  const issues = error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return new ValidationError(`not a Sentry ${what} webhook: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`, 'invalid_payload', { issues });
}

function actionOf(raw: unknown): string {
  const action = typeof raw === 'object' && raw !== null ? (raw as { action?: unknown }).action : undefined;
  if (typeof action !== 'string' || action === '') throw new ValidationError('not a Sentry webhook: the body has no "action"', 'invalid_payload');
  return action;
}

/** 200 for what Sentry may send but the bot does not act on: a 4xx would count as a failed delivery. */
function ignore(res: ServerResponse, resource: string, action: string | null): void {
  sendJson(res, 200, { status: 'ignored', resource, action });
}

/**
 * POST /webhooks/sentry: Sentry integration-platform webhooks (`issue`, `event_alert`,
 * `metric_alert`). Sentry counts a reply slower than 1 second as a timeout and retries 5xx and
 * timeouts (three times, minutes apart); a 4xx is final. So the signature is checked on the raw
 * bytes before anything is parsed, a database outage is a 503, 4xx is kept for requests that can
 * never succeed, and resources or actions the bot does not act on get a 200 with nothing stored.
 */
export function sentryRoute(deps: Deps): Handler {
  const count = (outcome: string) => deps.metrics.webhooksReceived.inc({ source: 'sentry', outcome });
  const acceptDelivery = deliveryAcceptor(deps);
  return async ({ req, res, requestId, log }) => {
    const secret = deps.env.SENTRY_CLIENT_SECRET;
    if (!secret) throw new NotFoundError('the Sentry route is disabled: set SENTRY_CLIENT_SECRET to the Client Secret of your Sentry internal integration', 'sentry_disabled');
    try {
      const signature = sentrySignatureHeader(req.headers);
      const body = await readBody(req, deps.env.WEBHOOK_BODY_LIMIT);
      verifySentrySignature(signature, body, secret);
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        throw new UnsupportedMediaTypeError('send the Sentry webhook as application/json', 'unsupported_content_type');
      }
      const resource = req.headers['sentry-hook-resource'];
      if (typeof resource !== 'string' || resource === '') throw new ValidationError('missing Sentry-Hook-Resource header', 'missing_resource');
      const raw = parseJsonBody(body, log);
      if (!isSentryResource(resource)) {
        count('ignored');
        log.info({ resource }, 'sentry webhook ignored: resource not handled');
        return ignore(res, resource, null);
      }
      const action = actionOf(raw);
      if (!sentryAlertStatus(resource, action)) {
        count('ignored');
        log.info({ resource, action }, 'sentry webhook ignored: action not handled');
        return ignore(res, resource, action);
      }
      const parsed = parseSentryWebhook(resource, raw);
      if (!parsed.success) throw invalidPayload(resource, parsed.error);
      // The worker finds the resource from the stored payload's shape: it must agree with the header.
      if (sentryResourceOf(raw) !== resource) throw new ValidationError(`the payload's shape is not that of a Sentry "${resource}" webhook`, 'resource_mismatch');
      const batch = sentryBatch(parsed.webhook);
      if (!batch) throw new Error(`no batch for handled action ${resource}.${action}`);
      const result = await acceptDelivery(batch, raw, requestId, log);
      count(result.outcome);
      log.info({ deliveryId: result.deliveryId, sentryRequestId: req.headers['request-id'], resource, action, groupKey: batch.groupKey, outcome: result.outcome }, 'sentry webhook stored');
      sendJson(res, 200, { status: result.outcome, deliveryId: result.deliveryId, alerts: batch.alerts.length });
    } catch (error) {
      count(error instanceof UnavailableError ? 'unavailable' : 'rejected');
      throw error;
    }
  };
}
