import { createHmac } from 'node:crypto';

/** Signs a request body exactly as Slack does: v0=HMAC-SHA256("v0:{timestamp}:{body}"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function signedHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000), contentType = 'application/x-www-form-urlencoded'): Record<string, string> {
  return { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(secret, timestamp, body) };
}

/** A slash-command request body, form-encoded as Slack posts it. */
export function slashCommandBody(fields: { text: string; channelId: string; userId?: string; responseUrl: string; triggerId?: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    team_domain: 'example',
    channel_id: fields.channelId,
    channel_name: 'general',
    user_id: fields.userId ?? 'U012AB3CD',
    user_name: 'oncall',
    command: '/incident',
    text: fields.text,
    api_app_id: 'A0TEST',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? '13345224609.738474920.8088930838d88f008e0',
  }).toString();
}
