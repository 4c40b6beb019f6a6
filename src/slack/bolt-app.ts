import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { RequestListener } from 'node:http';
import type { View } from '@slack/types';
import type { Deps } from '../deps.js';
import { boltLogger } from './bolt-logger.js';
import { botAuthorization } from './bot-authorization.js';
import { helpText } from './commands/help-text.js';
import { parseIncidentCommand } from './commands/parse-incident-command.js';
import { handleIncidentCommand } from './commands/handle-incident-command.js';
import { registerActionButtons } from './listeners/action-button.js';
import { answerFailures } from './listeners/answer-failures.js';
import { registerIncidentControls } from './listeners/incident-controls.js';
import { registerPinnedReactions } from './listeners/pinned-reaction.js';
import { registerReviewControls } from './listeners/review-controls.js';
import { registerCommsControls } from './comms/comms-controls.js';
import { registerStatusPageControls } from './status-page/status-page-controls.js';

export interface SlackApp {
  app: App;
  /** HTTP mode: serves POST /slack/events (signature and 5-minute timestamp checks by Bolt). */
  requestListener?: RequestListener;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Bolt app: HTTP mode on our own server's /slack/events, or Socket Mode when an app token is
 * set. `slackFetch` carries its Web API calls and responses elsewhere (the sandbox). Listeners acknowledge first and do any work afterwards (Slack's 3-second rule).
 */
export function createSlackApp(deps: Deps, slackFetch?: typeof fetch): SlackApp {
  const logger = boltLogger(deps.log);
  // The client listeners use (views.open, conversations.history): a trigger_id lives 3 seconds, so
  // a few quick retries, not @slack/web-api's default of ten spread over half an hour.
  const clientOptions = { slackApiUrl: deps.env.SLACK_API_URL, timeout: 10_000, retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 1_000 }, ...(slackFetch ? { fetch: slackFetch } : {}) };
  const socketMode = deps.env.SLACK_APP_TOKEN !== undefined;
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: deps.env.SLACK_APP_TOKEN as string, logger, installerOptions: { clientOptions } })
    : new HTTPReceiver({ signingSecret: deps.env.SLACK_SIGNING_SECRET as string, endpoints: '/slack/events', logger, unhandledRequestTimeoutMillis: 2_500 });
  const app = new App({ authorize: botAuthorization(deps.slack, deps.env.SLACK_BOT_TOKEN), receiver, logger, clientOptions });

  app.use(answerFailures(deps));

  app.command('/incident', async ({ command, ack, respond, client }) => {
    const parsed = parseIncidentCommand(command.text);
    if (parsed.name === 'help') {
      await ack({ response_type: 'ephemeral', text: helpText(parsed.unknown) });
      return;
    }
    await ack();
    const openView = (view: View) => client.views.open({ trigger_id: command.trigger_id, view });
    const text = await handleIncidentCommand(deps, parsed, { channelId: command.channel_id, userId: command.user_id, openView });
    if (text) await respond({ response_type: 'ephemeral', text });
  });

  registerActionButtons(app, deps);
  registerIncidentControls(app, deps);
  registerPinnedReactions(app, deps);
  registerReviewControls(app, deps);
  registerCommsControls(app, deps);
  registerStatusPageControls(app, deps);

  app.error(async (error) => {
    deps.log.error({ err: error }, 'Slack listener failed');
  });

  return {
    app,
    requestListener: receiver instanceof HTTPReceiver ? receiver.requestListener : undefined,
    start: async () => {
      if (socketMode) await app.start();
    },
    stop: async () => {
      if (socketMode) await app.stop();
    },
  };
}

