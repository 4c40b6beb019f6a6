import type { Runbook } from '../runbooks/runbook.js';
import { sampleLabels } from './sample-alert.js';
import type { Sandbox } from './sandbox.js';
import type { Channel } from './slack-api/types.js';

function channelSummary(sandbox: Sandbox, channel: Channel) {
  const other = channel.isIm ? [...channel.members].find((id) => id !== sandbox.state.bot.userId) : undefined;
  return { id: channel.id, name: channel.isIm ? `${sandbox.userName(other ?? '')} ↔ bot` : channel.name, isIm: channel.isIm, dmWith: other, topic: channel.topic, archived: channel.archived, created: channel.created, messages: channel.messages.length };
}

/** What the page shows for one person looking at one conversation. */
export function sandboxView(sandbox: Sandbox, runbooks: readonly Runbook[], userId: string, channelId: string | undefined) {
  const channels = [...sandbox.state.channels.values()].filter((c) => !c.isIm || c.members.has(userId));
  const channel = channelId ? sandbox.state.channels.get(channelId) : undefined;
  const view = [...sandbox.state.views].reverse().find((v) => sandbox.triggerOwners.get(v.triggerId) === userId);
  return {
    bot: { id: sandbox.state.bot.userId, name: sandbox.state.bot.userName },
    users: sandbox.users,
    names: Object.fromEntries([...sandbox.state.users.values()].map((u) => [u.id, u.realName])),
    runbooks: runbooks.map((r) => ({ id: r.id, title: r.title, severity: r.severity, labels: sampleLabels(r) })),
    channels: channels.map((c) => channelSummary(sandbox, c)),
    channel: channel ? { ...channelSummary(sandbox, channel), purpose: channel.purpose, pins: [...channel.pins], messageList: channel.messages.map((m) => ({ ...m, channel: undefined })) } : null,
    ephemerals: sandbox.ephemerals.filter((e) => e.user === userId && e.channel === channelId),
    view: view ? { id: view.id, view: view.view } : null,
    files: Object.fromEntries([...sandbox.state.files.values()].map((f) => [f.id, { name: f.name, title: f.title }])),
  };
}
