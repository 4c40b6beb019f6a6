import type { Deps } from '../../deps.js';
import { UnavailableError, UnsupportedMediaTypeError, ValidationError } from '../../errors.js';
import { requireBearer } from '../../http/bearer.js';
import { readBody } from '../../http/read-body.js';
import { sendJson } from '../../http/respond.js';
import type { Handler } from '../../http/router.js';
import { deliveryAcceptor } from '../accept-delivery.js';
import { parseJsonBody } from '../parse-json-body.js';
import { alertmanagerBatch, alertmanagerPayloadSchema } from './alertmanager-payload.js';

/**
 * POST /webhooks/alertmanager. Alertmanager retries only on 5xx and network errors and drops
 * the notification on any 4xx, so 4xx is kept for requests that can never succeed and anything
 * transient (Postgres down) is a 503.
 */
export function alertmanagerRoute(deps: Deps): Handler {
  const count = (outcome: string) => deps.metrics.webhooksReceived.inc({ source: 'alertmanager', outcome });
  const acceptDelivery = deliveryAcceptor(deps);
  return async ({ req, res, requestId, log }) => {
    try {
      if (deps.env.ALERTMANAGER_TOKEN) requireBearer(req.headers, deps.env.ALERTMANAGER_TOKEN);
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        throw new UnsupportedMediaTypeError('send the Alertmanager payload as application/json', 'unsupported_content_type');
      }
      const raw = parseJsonBody(await readBody(req, deps.env.WEBHOOK_BODY_LIMIT), log);
      const parsed = alertmanagerPayloadSchema.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
        throw new ValidationError(`not an Alertmanager v4 payload: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`, 'invalid_payload', { issues });
      }
      const batch = alertmanagerBatch(parsed.data);
      const result = await acceptDelivery(batch, raw, requestId, log);
      count(result.outcome);
      log.info({ deliveryId: result.deliveryId, groupKey: batch.groupKey, alerts: batch.alerts.length, outcome: result.outcome }, 'alertmanager notification stored');
      sendJson(res, 200, { status: result.outcome, deliveryId: result.deliveryId, alerts: batch.alerts.length });
    } catch (error) {
      count(error instanceof UnavailableError ? 'unavailable' : 'rejected');
      throw error;
    }
  };
}
