import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelName } from '../../src/incidents/channel-name.js';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { renderRunbook } from '../../src/slack/render/incident-message.js';
import { markdownToMrkdwn } from '../../src/slack/render/markdown-to-mrkdwn.js';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { RUNBOOKS_DIR, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

describe('channel names', () => {
  const opened = new Date('2026-11-24T03:00:00Z');
  it('follow Slack rules: lowercase, digits, hyphens, underscores, at most 80 characters', () => {
    expect(channelName('inc', opened, 'DB Connection Failures!')).toBe('inc-20261124-db-connection-failures');
    expect(channelName('inc', opened, 'Ünïcödé & <html> "quotes" / slashes')).toBe('inc-20261124-unicode-html-quotes-slashes');
    const long = channelName('inc', opened, 'word '.repeat(40), '2');
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^[a-z0-9_-]+-2$/);
    expect(channelName('inc', opened, '!!!')).toBe('inc-20261124-incident');
  });
});

describe('runbook Markdown in Slack', () => {
  it('becomes mrkdwn: bold, links, bullets, escaped specials, code untouched', () => {
    expect(markdownToMrkdwn('### Check **now**\n- see [dash](https://grafana.example/d/1) & <this>\n- `a < b`')).toBe(
      '*Check now*\n• see <https://grafana.example/d/1|dash> &amp; &lt;this&gt;\n• `a &lt; b`',
    );
  });

  it('reflows paragraphs and keeps bold, lists and links whole across wrapped source lines', () => {
    const markdown = [
      '1. **Cache Redis answers PING**, **API /health\n   reports healthy**: then look\n   further.',
      '   - nested _step_ with [a\n     link](https://runbooks.example/x?a=1&b=2)',
      '2. Next.',
      '',
      'A paragraph that',
      'wraps, with `code <here>` and <!channel>.',
      '',
      '```',
      'SELECT 1 < 2',
      '```',
    ].join('\n');
    expect(markdownToMrkdwn(markdown)).toBe(
      [
        '1. *Cache Redis answers PING*, *API /health reports healthy*: then look further.',
        '    • nested _step_ with <https://runbooks.example/x?a=1&b=2|a link>',
        '2. Next.',
        '',
        'A paragraph that wraps, with `code &lt;here&gt;` and &lt;!channel&gt;.',
        '',
        '```\nSELECT 1 &lt; 2\n```',
      ].join('\n'),
    );
  });

  it('leaves no ** and no break inside a paragraph in any shipped runbook', async () => {
    const runbooks = await loadRunbooks(RUNBOOKS_DIR);
    expect(runbooks.length).toBeGreaterThan(10);
    for (const runbook of runbooks) {
      const shown = JSON.stringify(renderRunbook(runbook));
      expect(shown, runbook.file).not.toContain('**');
      for (const part of runbook.sections) {
        const lines = markdownToMrkdwn(part.markdown).split('\n').map((line) => unstyled(line).trim());
        for (const continuation of continuationLines(part.markdown)) {
          // A wrapped source line must continue its paragraph or item, never start a new line.
          expect(lines.filter((line) => line.startsWith(continuation)), `${runbook.file}: "${continuation}"`).toEqual([]);
        }
      }
    }
  });
});

const unstyled = (text: string) => text.replace(/[*_`]/g, '');

/** Source lines that only continue the paragraph or list item above them. */
function continuationLines(markdown: string): string[] {
  const found: string[] = [];
  let previous = '';
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const startsBlock = /^\s*([-*+]|\d+[.)]|#|>|\||```|~~~)(\s|$)/.test(line) || line.trim() === '';
    if (!inFence && !startsBlock && previous.trim() !== '') found.push(unstyled(line).trim().slice(0, 24));
    previous = inFence ? '' : line;
  }
  return found;
}

describe('a runbook longer than one Slack message allows', () => {
  let bot: TestBot;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'runbooks-'));
    const bullets = (n: number) => Array.from({ length: n }, (_v, i) => `- step ${i}: ${'check the thing carefully and write down what you saw '.repeat(3)}`).join('\n');
    const body = ['Symptoms', 'Diagnostics', 'Mitigation', 'Recovery', 'Prevention'].map((title) => `## ${title}\n${bullets(300)}\n`).join('\n');
    await writeFile(path.join(dir, 'huge.md'), `---\nid: huge\ntitle: A very long runbook\nseverity: critical\nmatch:\n  - alertname: HugeRunbookAlert\n---\n${body}`);
    bot = await startTestBot({ env: { RUNBOOKS_DIR: dir } });
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('is split into thread replies within Block Kit limits, losing no section', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ labels: { alertname: 'HugeRunbookAlert', severity: 'critical' }, annotations: { summary: 'Huge runbook alert' } }] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message' });
    // The fake Slack refuses blocks over Block Kit's limits, exactly as Slack does: every call succeeded.
    expect(bot.slack.callsTo('chat.postMessage').every((call) => call.ok)).toBe(true);
    // The incident message is recorded first; its continuation pages follow in the thread.
    const repliesOf = () => bot.slack.messagesIn(incident.channelId as string).filter((message) => message.thread_ts === incident.messageTs && message.ts !== incident.messageTs);
    // Every page is out once the last section (Prevention) is there and the last reply ends a section.
    await waitFor(() => {
      const all = JSON.stringify(bot.slack.messagesIn(incident.channelId as string).map((message) => message.blocks));
      return all.includes('*Prevention*') && JSON.stringify(repliesOf().at(-1)?.blocks?.at(-1) ?? {}).includes('step 299');
    }, { what: 'the last page' });
    const messages = bot.slack.messagesIn(incident.channelId as string);
    const replies = repliesOf();
    expect(replies.length).toBeGreaterThan(0);
    for (const message of messages) expect((message.blocks ?? []).length).toBeLessThanOrEqual(50);
    const all = JSON.stringify(messages.map((message) => message.blocks));
    for (const title of ['Symptoms', 'Diagnostics', 'Mitigation', 'Recovery', 'Prevention']) expect(all).toContain(`*${title}*`);
    expect(all).toContain('step 299');
  });
});
