import { randomBytes } from 'node:crypto';
import { signedHeaders } from './slack-signing.js';

export interface ButtonElement {
  action_id: string;
  value?: string;
  style?: string;
  text: { type: string; text: string };
  confirm?: unknown;
}

interface Block {
  type: string;
  block_id?: string;
  elements?: (ButtonElement & { type: string })[];
}

/** Every button of a posted message, with the block it sits in. */
export function buttonsOf(blocks: unknown[] | undefined): (ButtonElement & { block_id: string })[] {
  return ((blocks ?? []) as Block[]).flatMap((block) =>
    block.type === 'actions' ? (block.elements ?? []).filter((element) => element.type === 'button').map((element) => ({ ...element, block_id: block.block_id ?? '' })) : [],
  );
}

export function triggerId(): string {
  return `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
}

/** A block_actions payload shaped exactly as Slack sends it for a button press in a message. */
export function blockActionsPayload(options: { userId: string; channelId: string; messageTs: string; button: ButtonElement & { block_id: string }; responseUrl: string; triggerId?: string }) {
  const actionTs = `${(Date.now() / 1000).toFixed(6)}`;
  return {
    type: 'block_actions',
    user: { id: options.userId, username: 'oncall', name: 'oncall', team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: options.messageTs, channel_id: options.channelId, is_ephemeral: false },
    trigger_id: options.triggerId ?? triggerId(),
    team: { id: 'T0TEST', domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: options.channelId, name: 'inc' },
    message: { type: 'message', ts: options.messageTs, bot_id: 'B0TEST', text: 'incident' },
    state: { values: {} },
    response_url: options.responseUrl,
    actions: [
      {
        action_id: options.button.action_id,
        block_id: options.button.block_id,
        text: options.button.text,
        value: options.button.value,
        ...(options.button.style ? { style: options.button.style } : {}),
        type: 'button',
        action_ts: actionTs,
      },
    ],
  };
}

/** Posts an interaction to /slack/events, form-encoded and signed as Slack does. */
export async function postInteraction(url: string, secret: string, payload: unknown, extraHeaders: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const response = await fetch(`${url}/slack/events`, { method: 'POST', headers: { ...signedHeaders(secret, body), ...extraHeaders }, body });
  return { status: response.status, body: await response.text() };
}

/** A view_submission of a modal, shaped as Slack sends it: `values` is view.state.values (block_id → action_id → element state). */
export function viewSubmissionPayload(options: { userId: string; callbackId: string; privateMetadata: string; title: string; submit: string; values: Record<string, Record<string, unknown>> }) {
  return {
    type: 'view_submission',
    team: { id: 'T0TEST', domain: 'example' },
    user: { id: options.userId, username: 'oncall', name: 'oncall', team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    view: {
      id: 'V0TEST',
      team_id: 'T0TEST',
      type: 'modal',
      blocks: [],
      private_metadata: options.privateMetadata,
      callback_id: options.callbackId,
      state: { values: options.values },
      hash: '1700000000.abc',
      title: { type: 'plain_text', text: options.title },
      close: { type: 'plain_text', text: 'Cancel' },
      submit: { type: 'plain_text', text: options.submit },
      previous_view_id: null,
      root_view_id: 'V0TEST',
      app_id: 'A0TEST',
      external_id: '',
      app_installed_team_id: 'T0TEST',
      bot_id: 'B0TEST',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
