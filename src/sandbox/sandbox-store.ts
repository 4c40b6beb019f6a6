import { z } from 'zod';
import type { Db } from '../db/client.js';
import type { SlackState } from './slack-api/state.js';
import type { Channel, Message, StoredFile, Usergroup } from './slack-api/types.js';

// What was written is read back through these schemas: an old or hand-edited row is a clear error.
const messageSchema = z.looseObject({ type: z.literal('message'), ts: z.string(), channel: z.string(), user: z.string(), text: z.string(), team: z.string() });
const channelSchema = z.object({
  id: z.string(),
  name: z.string(),
  isPrivate: z.boolean(),
  isIm: z.boolean(),
  isGeneral: z.boolean(),
  created: z.number(),
  creator: z.string(),
  topic: z.string(),
  topicSetBy: z.string(),
  topicSetAt: z.number(),
  purpose: z.string(),
  purposeSetBy: z.string(),
  purposeSetAt: z.number(),
  members: z.array(z.string()),
  archived: z.boolean(),
  messages: z.array(messageSchema),
  pins: z.array(z.string()),
});
const fileSchema = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  declaredLength: z.number(),
  altText: z.string().optional(),
  snippetType: z.string().optional(),
  uploadToken: z.string(),
  uploaded: z.boolean(),
  completed: z.boolean(),
  shares: z.array(z.object({ channel: z.string(), ts: z.string() })),
  created: z.number(),
  user: z.string(),
});

const usergroupSchema = z.object({ id: z.string(), handle: z.string(), name: z.string(), users: z.array(z.string()) });

function channelRow(channel: Channel): string {
  return JSON.stringify({ ...channel, members: [...channel.members], pins: [...channel.pins] });
}

/**
 * Keeps the sandbox's workspace in Postgres (sandbox_channels, sandbox_files, sandbox_usergroups),
 * so a restart of the bot keeps its channels, messages, files and user groups' members. Saves
 * write only what changed since the last save.
 */
export class SandboxStore {
  private readonly saved = new Map<string, string>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db) {}

  async load(state: SlackState): Promise<void> {
    const [channels, files, usergroups] = await Promise.all([this.db.sandboxChannel.findMany(), this.db.sandboxFile.findMany(), this.db.sandboxUsergroup.findMany()]);
    for (const row of channels) {
      const parsed = channelSchema.parse(row.data);
      // The loose schema keeps every field the Web API wrote (blocks, reactions, files…).
      const messages = parsed.messages.map((message): Message => ({ ...message }) as Message);
      const channel: Channel = { ...parsed, members: new Set(parsed.members), pins: new Set(parsed.pins), messages };
      state.channels.set(channel.id, channel);
      this.saved.set(channel.id, channelRow(channel));
    }
    for (const row of files) {
      const file: StoredFile = { ...fileSchema.parse(row.data), ...(row.content ? { data: Buffer.from(row.content) } : {}) };
      state.files.set(file.id, file);
      state.uploads.set(file.uploadToken, file.id);
      this.saved.set(`file:${file.id}`, JSON.stringify(row.data) + String(row.content?.length ?? -1));
    }
    for (const row of usergroups) {
      const group: Usergroup = usergroupSchema.parse(row.data);
      state.usergroups.set(group.id, group);
      this.saved.set(`usergroup:${group.id}`, JSON.stringify(group));
    }
    state.restoreCounters();
  }

  /**
   * Queues a save of everything that changed; saves run one after another, in call order. A save
   * that fails rejects its own caller only: the next one still runs.
   */
  save(state: SlackState): Promise<void> {
    const next = this.chain.catch(() => undefined).then(() => this.saveNow(state));
    this.chain = next;
    return next;
  }

  private async saveNow(state: SlackState): Promise<void> {
    const writes = [];
    for (const channel of state.channels.values()) {
      const row = channelRow(channel);
      if (this.saved.get(channel.id) === row) continue;
      this.saved.set(channel.id, row);
      const data = JSON.parse(row) as object;
      writes.push(this.db.sandboxChannel.upsert({ where: { id: channel.id }, create: { id: channel.id, data }, update: { data } }));
    }
    for (const file of state.files.values()) {
      const { data: bytes, ...meta } = file;
      const row = JSON.stringify(meta) + String(bytes?.length ?? -1);
      if (this.saved.get(`file:${file.id}`) === row) continue;
      this.saved.set(`file:${file.id}`, row);
      const content = bytes ? new Uint8Array(bytes) : null;
      writes.push(this.db.sandboxFile.upsert({ where: { id: file.id }, create: { id: file.id, data: meta, content }, update: { data: meta, content } }));
    }
    for (const group of state.usergroups.values()) {
      const row = JSON.stringify(group);
      if (this.saved.get(`usergroup:${group.id}`) === row) continue;
      this.saved.set(`usergroup:${group.id}`, row);
      const data = JSON.parse(row) as object;
      writes.push(this.db.sandboxUsergroup.upsert({ where: { id: group.id }, create: { id: group.id, data }, update: { data } }));
    }
    try {
      await Promise.all(writes);
    } catch (error) {
      // Some rows may not have been written: the next save writes everything again.
      this.saved.clear();
      throw error;
    }
  }
}
