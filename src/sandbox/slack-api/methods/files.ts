/**
 * The V2 file upload flow used by `WebClient.filesUploadV2`:
 *
 * 1. `files.getUploadURLExternal({ filename, length })` → `{ upload_url, file_id }`
 * 2. POST the bytes to `upload_url` (@slack/web-api sends multipart/form-data with a single file field;
 *    raw bodies are accepted too) → HTTP 200
 * 3. `files.completeUploadExternal({ files: [{ id, title }], channel_id?, thread_ts?, initial_comment?, blocks? })`
 *    → `{ files: [...] }`, sharing the files into the channel as one message.
 */
import { z } from 'zod';
import { fail, idList, jsonArg, ok, optInt, optString, parseArgs, type MethodResult } from '../args.js';
import type { SlackState } from '../state.js';
import type { Message, StoredFile } from '../types.js';
import { fileJson, isResult, postingError, readMessageContent, visibleChannel, type MethodTable } from './context.js';

/** "alt_txt_too_large: Description for the image is longer than the limit of 1000 character." */
const ALT_TEXT_MAX = 1000;

const fileRef = z.object({ id: z.string().min(1), title: z.string().optional() });

function invalid(message: string): MethodResult {
  return fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${message}`] } });
}

export const fileMethods: MethodTable = {
  'files.getUploadURLExternal': (ctx) => {
    const schema = z.object({
      filename: optString,
      length: optInt,
      alt_txt: optString,
      // @slack/web-api sends `alt_text` although the method documents `alt_txt`.
      alt_text: optString,
      snippet_type: optString,
    });
    const parsed = parseArgs(schema, ctx.args);
    if (!parsed.success) return parsed.result;
    const { filename, length, snippet_type } = parsed.data;
    const altText = parsed.data.alt_txt ?? parsed.data.alt_text;
    if (!filename) return invalid('missing required field: filename [json-pointer:/filename]');
    if (length === undefined) return invalid('missing required field: length [json-pointer:/length]');
    // "missing_argument: ... Typically only occurs when the length provided is 0."
    if (length <= 0) return fail('missing_argument');
    if (altText !== undefined && altText.length > ALT_TEXT_MAX) return fail('alt_txt_too_large');

    const id = ctx.state.newId('F');
    const uploadToken = `${id.toLowerCase()}${ctx.state.newId('X').toLowerCase()}`;
    const file: StoredFile = {
      id,
      name: filename,
      title: filename,
      declaredLength: length,
      uploadToken,
      uploaded: false,
      completed: false,
      shares: [],
      created: ctx.state.nowSeconds(),
      user: ctx.bot.userId,
      ...(altText !== undefined ? { altText } : {}),
      ...(snippet_type !== undefined ? { snippetType: snippet_type } : {}),
    };
    ctx.state.files.set(id, file);
    ctx.state.uploads.set(uploadToken, id);
    return ok({ upload_url: `${ctx.config.uploadBaseUrl}upload/v1/${uploadToken}`, file_id: id });
  },

  'files.completeUploadExternal': (ctx) => {
    const schema = z.object({
      files: jsonArg,
      channel_id: optString,
      channels: idList,
      thread_ts: optString,
      initial_comment: optString,
      blocks: jsonArg,
    });
    const parsed = parseArgs(schema, ctx.args);
    if (!parsed.success) return parsed.result;
    const args = parsed.data;
    const refs = z.array(fileRef).min(1).safeParse(args.files);
    if (!refs.success) return invalid('files must be a non-empty array of {id, title} [json-pointer:/files]');

    const files: StoredFile[] = [];
    for (const ref of refs.data) {
      const file = ctx.state.files.get(ref.id);
      // The fake also refuses files whose bytes never reached the upload URL.
      if (!file || !file.uploaded) return fail('file_not_found');
      files.push(file);
    }

    const channelIds = args.channel_id ? [args.channel_id] : args.channels;
    const channels = [];
    for (const channelId of channelIds) {
      const channel = visibleChannel(ctx, channelId);
      if (!channel) return fail('invalid_channel');
      if (postingError(ctx, channel)) return fail('posting_to_channel_denied');
      channels.push(channel);
    }
    const hasComment = Boolean(args.initial_comment) || args.blocks !== undefined;
    const content = hasComment ? readMessageContent(ctx, { text: args.initial_comment, blocks: args.blocks }) : { text: '' };
    if (isResult(content)) return content;

    refs.data.forEach((ref, i) => {
      const file = files[i] as StoredFile;
      file.completed = true;
      if (ref.title) file.title = ref.title;
    });
    for (const channel of channels) {
      const ts = ctx.state.nextTs();
      for (const file of files) file.shares.push({ channel: channel.id, ts });
      const message: Message = {
        type: 'message',
        ts,
        channel: channel.id,
        user: ctx.bot.userId,
        bot_id: ctx.bot.botId,
        app_id: ctx.bot.appId,
        text: content.text,
        team: ctx.bot.teamId,
        files: files.map((f) => fileJson(f, ctx.bot.teamUrl)),
        ...('blocks' in content && content.blocks ? { blocks: content.blocks } : {}),
        ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
      };
      ctx.state.addMessage(channel, message);
    }
    return ok({ files: files.map((f) => fileJson(f, ctx.bot.teamUrl)) });
  },
};

/** Response of the upload URL (step 2). Slack answers 200 with a short text body. */
export interface UploadReply {
  status: number;
  body: string;
  fileId?: string;
}

export function receiveUpload(state: SlackState, token: string, bytes: Buffer): UploadReply {
  const fileId = state.uploads.get(token);
  const file = fileId ? state.files.get(fileId) : undefined;
  if (!file) return { status: 404, body: 'Not Found' };
  file.data = bytes;
  file.uploaded = true;
  return { status: 200, body: `OK - ${bytes.length}`, fileId: file.id };
}

