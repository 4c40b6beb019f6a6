import { createHmac } from 'node:crypto';

export interface BotReply {
  status: number;
  body: string;
}

/**
 * Posts to the bot's own /slack/events exactly as Slack does: the body signed v0 with the signing
 * secret (HMAC-SHA256 of "v0:{timestamp}:{body}"), so the page's clicks take the bot's real path.
 */
export async function sendToBot(botUrl: string, secret: string, body: string, contentType: string, nowSeconds: number): Promise<BotReply> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${nowSeconds}:${body}`).digest('hex')}`;
  const response = await fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(nowSeconds), 'x-slack-signature': signature },
    body,
  });
  return { status: response.status, body: await response.text() };
}
