/**
 * What a person does on the page, turned into what Slack would send the bot: each goes to the
 * bot's /slack/events as a signed request, and the bot answers through its Slack client as usual.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Sandbox } from './sandbox.js';
import { blockActionsPayload, reactionAddedEvent, slashCommandFields, viewSubmissionPayload, type Actor } from './slack-payloads.js';
import type { Channel, JsonObject, Message } from './slack-api/types.js';
import { sendToBot, type BotReply } from './send-to-bot.js';

const FORM = 'application/x-www-form-urlencoded';
const elementSchema = z.looseObject({ type: z.string(), action_id: z.string().optional(), text: z.unknown(), value: z.string().optional(), style: z.string().optional() });
const blockSchema = z.object({ elements: z.array(elementSchema) });

function actorOf(sandbox: Sandbox, userId: string): Actor {
  if (!sandbox.users.some((u) => u.id === userId)) throw new ValidationError(`unknown sandbox user ${userId}`, 'unknown_user');
  return { id: userId, name: sandbox.state.users.get(userId)?.name ?? userId };
}

function channelOf(sandbox: Sandbox, channelId: string): Channel {
  const channel = sandbox.state.channels.get(channelId);
  if (!channel) throw new NotFoundError(`no channel ${channelId} in the sandbox`, 'channel_not_found');
  return channel;
}

function messageOf(channel: Channel, ts: string): Message {
  const message = channel.messages.find((m) => m.ts === ts);
  if (!message) throw new NotFoundError(`no message ${ts} in #${channel.name}`, 'message_not_found');
  return message;
}

// Signatures carry wall-clock time: Bolt refuses requests more than 5 minutes from its own clock.
const wallSeconds = () => Math.floor(Date.now() / 1000);

function issueTrigger(sandbox: Sandbox, userId: string): string {
  const trigger = `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
  sandbox.state.issuedTriggers.set(trigger, sandbox.state.nowMs());
  sandbox.triggerOwners.set(trigger, userId);
  return trigger;
}

function post(sandbox: Sandbox, body: string, contentType = FORM): Promise<BotReply> {
  return sendToBot(sandbox.botUrl, sandbox.signingSecret, body, contentType, wallSeconds());
}

/** `/incident …` typed in a channel; the acknowledgement's text (help) is shown to the typist only. */
export async function runCommand(sandbox: Sandbox, userId: string, channelId: string, text: string): Promise<BotReply> {
  const actor = actorOf(sandbox, userId);
  const channel = channelOf(sandbox, channelId);
  const fields = slashCommandFields({ bot: sandbox.state.bot, actor, channel: { id: channel.id, name: channel.name }, text, responseUrl: sandbox.responseUrl(channel.id, userId), triggerId: issueTrigger(sandbox, userId) });
  const reply = await post(sandbox, new URLSearchParams(fields).toString());
  const ack = parseJson(reply.body);
  if (typeof ack?.text === 'string' && ack.text !== '') {
    sandbox.ephemerals.push({ channel: channel.id, user: userId, ts: sandbox.state.nextTs(), text: ack.text });
    sandbox.notify();
  }
  return reply;
}

/** A button pressed (after its confirm dialog, which the page shows). */
export async function pressButton(sandbox: Sandbox, userId: string, channelId: string, ts: string, blockId: string, actionId: string): Promise<BotReply> {
  const actor = actorOf(sandbox, userId);
  const channel = channelOf(sandbox, channelId);
  const message = messageOf(channel, ts);
  const block = blockSchema.safeParse((message.blocks ?? []).find((b) => b.block_id === blockId));
  const element = block.success ? block.data.elements.find((e) => e.action_id === actionId) : undefined;
  if (!element) throw new NotFoundError(`no button ${actionId} in that message`, 'action_not_found');
  const action: JsonObject = { action_id: actionId, type: element.type, text: element.text, value: element.value, ...(element.style ? { style: element.style } : {}) };
  const payload = blockActionsPayload({ bot: sandbox.state.bot, actor, channel: { id: channel.id, name: channel.name }, message, action, blockId, responseUrl: sandbox.responseUrl(channel.id, userId), triggerId: issueTrigger(sandbox, userId), actionTs: sandbox.state.nextTs() });
  return post(sandbox, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

/** A modal submitted; Slack keeps it open when the bot answers with `response_action: errors`. */
export async function submitView(sandbox: Sandbox, userId: string, viewId: string, values: JsonObject): Promise<{ errors?: Record<string, string> }> {
  const actor = actorOf(sandbox, userId);
  const opened = sandbox.state.views.find((v) => v.id === viewId && sandbox.triggerOwners.get(v.triggerId) === userId);
  if (!opened) throw new NotFoundError(`no open modal ${viewId}`, 'view_not_found');
  const payload = viewSubmissionPayload({ bot: sandbox.state.bot, actor, view: opened.view, values, triggerId: issueTrigger(sandbox, userId) });
  const reply = await post(sandbox, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  const answer = parseJson(reply.body);
  if (answer?.response_action === 'errors' && answer.errors && typeof answer.errors === 'object') return { errors: answer.errors as Record<string, string> };
  closeView(sandbox, userId, viewId);
  await sandbox.changed();
  return {};
}

export function closeView(sandbox: Sandbox, userId: string, viewId: string): void {
  const index = sandbox.state.views.findIndex((v) => v.id === viewId && sandbox.triggerOwners.get(v.triggerId) === userId);
  if (index >= 0) sandbox.state.views.splice(index, 1);
}

/** A reaction added by a person: shown on the message, and the reaction_added event sent to the bot. */
export async function addReaction(sandbox: Sandbox, userId: string, channelId: string, ts: string, name: string): Promise<BotReply> {
  const actor = actorOf(sandbox, userId);
  const channel = channelOf(sandbox, channelId);
  const message = messageOf(channel, ts);
  const reactions = (message.reactions ??= []);
  const existing = reactions.find((r) => r.name === name);
  if (existing?.users.includes(userId)) return { status: 200, body: '' };
  if (existing) {
    existing.users.push(userId);
    existing.count += 1;
  } else reactions.push({ name, users: [userId], count: 1 });
  await sandbox.changed();
  const eventTs = sandbox.state.nextTs();
  const event = reactionAddedEvent({ bot: sandbox.state.bot, actor, channelId: channel.id, message, reaction: name, eventTs, eventId: `Ev${randomBytes(6).toString('hex').toUpperCase()}`, eventTime: sandbox.state.nowSeconds() });
  return post(sandbox, JSON.stringify(event), 'application/json');
}

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
