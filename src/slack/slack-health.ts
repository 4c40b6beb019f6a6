import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

/** How the bot's Slack connection looks from here, as `/health` reports it. */
export type SlackConnection = 'up' | 'down' | 'unauthorized';

/** What Slack refuses for good until a person fixes the token or the app's scopes. */
export interface SlackBlock {
  error: string;
  /** For missing_scope: the scope Slack says is needed. */
  needed?: string;
}

/**
 * Slack errors no retry can fix: the token is refused or lacks a scope. While one holds, calls
 * are not sent (work waits) and `auth.test` is tried slowly until the problem is fixed.
 */
const WHAT_TO_FIX: Record<string, (block: SlackBlock) => string> = {
  invalid_auth: () => 'Slack does not accept SLACK_BOT_TOKEN: copy the Bot User OAuth Token (xoxb-…) from your app\'s "OAuth & Permissions" page',
  not_authed: () => 'Slack received no token: set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…)',
  token_revoked: () => 'the token in SLACK_BOT_TOKEN was revoked (the app was uninstalled?): reinstall the app and set SLACK_BOT_TOKEN to its new token',
  token_expired: () => 'the token in SLACK_BOT_TOKEN has expired: reinstall the app and set SLACK_BOT_TOKEN to its new token',
  account_inactive: () => 'the bot user or its workspace is deactivated: reactivate it or reinstall the app, then set SLACK_BOT_TOKEN',
  missing_scope: (block) => `the token lacks the scope ${block.needed ?? '(Slack did not say which)'}: add it under "OAuth & Permissions" (manifest.yml lists every scope the bot needs) and reinstall the app`,
};

/** True when Slack answered an error that no retry can fix until a person acts (see WHAT_TO_FIX). */
export function blocksSlackWork(error: string | undefined): boolean {
  return error !== undefined && error in WHAT_TO_FIX;
}

/**
 * Tracks the Slack connection: `up` while Slack answers, `down` while it cannot be reached,
 * `unauthorized` while it refuses the token (every call) or a scope (the methods that need it).
 * Fed by every Web API response (see slackHealthFetch); logs each refusal once, and checks again
 * every `recheckMs` until it is fixed, so work held back resumes without a restart.
 */
export class SlackHealth {
  private current: SlackConnection = 'up';
  private tokenBlock: SlackBlock | undefined;
  /** A missing scope holds back only the methods that need it: a bot without files:write still opens channels. */
  private readonly scopeBlocks = new Map<string, SlackBlock>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly resumeListeners: (() => void)[] = [];

  constructor(
    private readonly options: {
      log: Logger;
      metrics: Metrics;
      recheckMs: number;
      /** One `auth.test` call: the answer's error code (undefined when ok) and granted scopes. */
      check: () => Promise<{ error?: string; scopes?: string[] }>;
    },
  ) {
    options.metrics.slackConnection.set({ state: 'up' }, 1);
  }

  get state(): SlackConnection {
    return this.current;
  }

  /** The token refusal holding every Slack call back, if any. */
  get blocked(): SlackBlock | undefined {
    return this.tokenBlock;
  }

  /** The refusal holding calls to `method` back, if any. */
  blockedFor(method: string): SlackBlock | undefined {
    return this.tokenBlock ?? this.scopeBlocks.get(method);
  }

  /** Called when Slack accepts what it refused (the token, a scope). */
  onResume(listener: () => void): void {
    this.resumeListeners.push(listener);
  }

  /** Checks the token now (at start, then on each slow retry); never throws. */
  async checkNow(): Promise<void> {
    let answer: { error?: string; scopes?: string[] };
    try {
      answer = await this.options.check();
    } catch (error) {
      this.unreachable(error);
      return;
    }
    if (blocksSlackWork(answer.error)) {
      this.refused('auth.test', { error: answer.error as string });
      return this.scheduleCheck();
    }
    const fixed: SlackBlock[] = [];
    if (this.tokenBlock) fixed.push(this.tokenBlock);
    this.tokenBlock = undefined;
    // A missing scope is fixed once the token carries it (Slack lists them in X-OAuth-Scopes).
    for (const [method, block] of this.scopeBlocks) {
      if (block.needed && answer.scopes && !answer.scopes.includes(block.needed)) continue;
      this.scopeBlocks.delete(method);
      fixed.push(block);
    }
    this.answered();
    if (this.scopeBlocks.size > 0) this.scheduleCheck();
    if (fixed.length === 0) return;
    this.options.log.info({ fixed: fixed.map((block) => block.needed ?? block.error) }, 'Slack accepts the bot again; resuming the Slack work that waited');
    for (const listener of this.resumeListeners) listener();
  }

  /** Slack answered (a call went through): clears `down`. */
  answered(): void {
    if (this.current === 'down') this.options.log.info('Slack can be reached again');
    this.set(this.tokenBlock || this.scopeBlocks.size > 0 ? 'unauthorized' : 'up');
  }

  /** Slack refused the token, or a scope `method` needs: the first refusal is logged with what to fix. */
  refused(method: string, block: SlackBlock): void {
    const scope = block.error === 'missing_scope';
    const known = scope ? this.scopeBlocks.get(method) : this.tokenBlock;
    if (known?.error === block.error && known.needed === block.needed) return;
    if (scope) this.scopeBlocks.set(method, block);
    else this.tokenBlock = block;
    this.options.metrics.slackRefusals.inc({ error: block.error });
    const held = scope ? `${method} calls wait` : 'Slack work waits';
    this.options.log.error({ slackError: block.error, method, needed: block.needed }, `Slack refuses the bot's calls (${block.error}): ${WHAT_TO_FIX[block.error]?.(block) ?? 'fix the Slack app'}. ${held} and resume by themselves once this is fixed (checked every ${Math.round(this.options.recheckMs / 1000)} s).`);
    this.set('unauthorized');
    this.scheduleCheck();
  }

  /** A call could not reach Slack at all. */
  unreachable(error: unknown): void {
    if (this.current === 'unauthorized') return this.scheduleCheck();
    if (this.current !== 'down') this.options.log.warn({ err: error }, 'Slack cannot be reached (network or DNS, or SLACK_API_URL is wrong); calls are retried');
    this.set('down');
    this.scheduleCheck();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private set(state: SlackConnection): void {
    if (state === this.current) return;
    this.options.metrics.slackConnection.set({ state: this.current }, 0);
    this.options.metrics.slackConnection.set({ state }, 1);
    this.current = state;
  }

  private scheduleCheck(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.recheck();
    }, this.options.recheckMs);
    this.timer.unref();
  }

  private async recheck(): Promise<void> {
    await this.checkNow();
    if (this.current !== 'up') this.scheduleCheck();
  }
}
