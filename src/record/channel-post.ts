import { z } from 'zod';
import type { ChannelPost, Prisma } from '../db/client.js';
import { StoredRecordError } from './stored-record-error.js';

/** A short summary of an alert for timeline data and channel posts. */
export const alertBriefSchema = z.object({
  fingerprint: z.string(),
  name: z.string(),
  summary: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  generatorUrl: z.string().nullable(),
});
export type AlertBrief = z.infer<typeof alertBriefSchema>;

const alertsChangedSchema = z.object({ firing: z.array(alertBriefSchema), resolved: z.array(alertBriefSchema) });
/** Data of a channel post of kind `alerts_changed`: what one delivery changed in an incident. */
export type AlertsChangedPost = z.infer<typeof alertsChangedSchema>;

const by = z.string();

/**
 * Every message the bot owes an incident's channel, as stored in `channel_posts` (kind + data).
 * A new kind is one member here; the renderer's `switch` then names it as unhandled.
 */
export const channelPostBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('alerts_changed'), data: alertsChangedSchema }),
  z.object({ kind: z.literal('action_started'), data: z.object({ runId: z.string() }) }),
  z.object({ kind: z.literal('action_result'), data: z.object({ runId: z.string() }) }),
  z.object({ kind: z.literal('runbook'), data: z.object({ runbookId: z.string(), requestedBy: z.string().optional() }) }),
  z.object({ kind: z.literal('escalation'), data: z.object({ step: z.number().int() }) }),
  z.object({ kind: z.literal('acknowledged'), data: z.object({ by, level: z.number().int().optional() }) }),
  z.object({ kind: z.literal('declared'), data: z.object({ by }) }),
  z.object({ kind: z.literal('reopened'), data: z.object({}) }),
  z.object({ kind: z.literal('announce_opened'), data: z.object({ channel: z.string() }) }),
  z.object({ kind: z.literal('announce_resolved'), data: z.object({ channel: z.string() }) }),
  z.object({ kind: z.literal('resolved'), data: z.object({ by, summary: z.string().nullable().optional() }) }),
  z.object({
    kind: z.literal('review_reminder'),
    data: z.object({ reviewId: z.string().optional(), step: z.number().int(), kind: z.enum(['due_soon', 'overdue']), owner: z.string().nullable().optional(), dueAt: z.string() }),
  }),
  z.object({ kind: z.literal('review_done'), data: z.object({ by }) }),
  z.object({ kind: z.literal('followup_added'), data: z.object({ by, owner: z.string().nullable(), dueOn: z.string(), text: z.string() }) }),
  z.object({ kind: z.literal('status_update'), data: z.object({ updateId: z.string() }) }),
  z.object({ kind: z.literal('status_update_announce'), data: z.object({ updateId: z.string(), channel: z.string() }) }),
  z.object({ kind: z.literal('update_reminder'), data: z.object({ to: z.string().nullable(), dueAt: z.string() }) }),
  z.object({ kind: z.literal('update_snoozed'), data: z.object({ by, target: z.string().nullable(), byTarget: z.boolean(), until: z.string() }) }),
  z.object({ kind: z.literal('role_assigned'), data: z.object({ role: z.string(), userId: z.string(), by, previous: z.string().nullable(), firstAck: z.boolean() }) }),
]);

export type ChannelPostBody = z.infer<typeof channelPostBodySchema>;
export type ChannelPostKind = ChannelPostBody['kind'];
/** A stored post with its data parsed. */
export type ParsedChannelPost = Omit<ChannelPost, 'kind' | 'data'> & ChannelPostBody;

/** Parses a stored `channel_posts` row; an unknown kind or malformed data is refused with a clear error. */
export function parseChannelPost(row: ChannelPost): ParsedChannelPost {
  const parsed = channelPostBodySchema.safeParse({ kind: row.kind, data: row.data });
  if (!parsed.success) throw new StoredRecordError(`channel post (kind "${row.kind}")`, String(row.id), z.prettifyError(parsed.error));
  return { ...row, ...parsed.data };
}

/** Owes the incident's channel a message, inside the caller's transaction (the outbox relay delivers it after commit). */
export async function recordPost(tx: Prisma.TransactionClient, incidentId: string, post: ChannelPostBody): Promise<void> {
  await tx.channelPost.create({ data: { incidentId, kind: post.kind, data: post.data } });
}
