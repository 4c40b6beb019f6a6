/**
 * pins.add and reactions.add — things attached to an existing message.
 */
import { z } from 'zod';
import { fail, ok, optString, parseArgs, reqString } from '../args.js';
import { visibleChannel, type MethodTable } from './context.js';

export const itemMethods: MethodTable = {
  'pins.add': (ctx) => {
    const parsed = parseArgs(z.object({ channel: reqString, timestamp: optString }), ctx.args);
    if (!parsed.success) return parsed.result;
    const channel = visibleChannel(ctx, parsed.data.channel);
    if (!channel) return fail('channel_not_found');
    const ts = parsed.data.timestamp;
    if (!ts) return fail('no_item_specified');
    const message = ctx.state.findMessage(channel, ts);
    if (!message) return fail('message_not_found');
    if (channel.pins.has(ts)) return fail('already_pinned');
    channel.pins.add(ts);
    message.pinned_to = [...(message.pinned_to ?? []), channel.id];
    return ok();
  },

  'reactions.add': (ctx) => {
    const parsed = parseArgs(z.object({ name: reqString, channel: optString, timestamp: optString }), ctx.args);
    if (!parsed.success) return parsed.result;
    const { channel: channelRef, timestamp } = parsed.data;
    // Emoji names are sent without colons; tolerate ":name:" and skin-tone suffixes like "name::skin-tone-2".
    const name = parsed.data.name.replace(/^:|:$/g, '');
    if (!channelRef || !timestamp) return fail('no_item_specified');
    if (!/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(name)) return fail('invalid_name');
    const channel = visibleChannel(ctx, channelRef);
    if (!channel) return fail('channel_not_found');
    if (channel.archived) return fail('is_archived');
    const message = ctx.state.findMessage(channel, timestamp);
    if (!message) return fail('message_not_found');
    const reactions = (message.reactions ??= []);
    const reaction = reactions.find((r) => r.name === name);
    if (reaction?.users.includes(ctx.bot.userId)) return fail('already_reacted');
    if (reaction) {
      reaction.users.push(ctx.bot.userId);
      reaction.count += 1;
    } else {
      reactions.push({ name, users: [ctx.bot.userId], count: 1 });
    }
    return ok();
  },
};
