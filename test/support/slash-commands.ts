import { expect } from 'vitest';
import type { FakeSlack } from './fake-slack/index.js';
import type { startResponseSink } from './response-url-sink.js';
import { signedHeaders, slashCommandBody } from './slack-signing.js';
import { SIGNING_SECRET, type TestBot } from './test-bot.js';
import { waitFor } from './wait-for.js';

type Sink = Awaited<ReturnType<typeof startResponseSink>>;

/** Slash commands as people type them (signed as Slack signs them), with their ephemeral answers. */
export function slashCommands(bot: () => TestBot, sink: () => Sink) {
  let sequence = 0;
  return async function command(channelId: string, text: string, userId: string) {
    sequence += 1;
    const path = `/answers/${sequence}`;
    const body = slashCommandBody({ text, channelId, userId, responseUrl: `${sink().url}${path}`, triggerId: bot().slack.issueTriggerId() });
    const response = await fetch(`${bot().url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body });
    expect(response.status).toBe(200);
    const immediate = await response.text();
    return {
      /** The ephemeral answer, whether in the HTTP response or later on response_url. */
      answer: async (): Promise<string> => {
        if (immediate) return String((JSON.parse(immediate) as { text?: string }).text);
        const entry = await waitFor(() => sink().received.find((received) => received.path === path), { what: `answer to /incident ${text}` });
        expect(entry.body).toMatchObject({ response_type: 'ephemeral' });
        return String(entry.body.text);
      },
      answered: () => immediate !== '' || sink().received.some((received) => received.path === path),
    };
  };
}

/** Direct messages the bot sent a person, oldest first. */
export function directMessages(slack: FakeSlack, user: string): string[] {
  const dm = [...slack.channels.values()].find((channel) => channel.isIm && channel.members.has(user));
  return dm ? slack.messagesIn(dm.id).map((message) => message.text) : [];
}
