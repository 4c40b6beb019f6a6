import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startOpsService } from '../support/ops-service.js';
import { launchChromium, startSandboxBot, type SandboxBot } from '../support/sandbox-bot.js';
import { waitFor } from '../support/wait-for.js';

// A person trying the bot in the sandbox page, in a real (headless) Chromium.
describe('the Slack sandbox in a browser', () => {
  let sandbox: SandboxBot;
  let ops: Awaited<ReturnType<typeof startOpsService>>;
  let chromium: { browser: BrowserContext; close(): Promise<void> };
  let page: Page;

  beforeAll(async () => {
    ops = await startOpsService();
    sandbox = await startSandboxBot({ targets: { api: { type: 'http', url: ops.url }, ops: { type: 'http', url: ops.url } } });
    chromium = await launchChromium();
    page = await chromium.browser.newPage();
  }, 90_000);

  afterAll(async () => {
    await chromium?.close();
    await sandbox?.stop();
    await ops?.close();
  });

  const command = async (text: string) => {
    await page.locator('#command').fill(text);
    await page.locator('#command').press('Enter');
  };

  it('fires a sample alert, runs a diagnostic, acknowledges and resolves, and shows the review file', async () => {
    await page.goto(`${sandbox.url}/sandbox`);
    await expect.poll(() => page.locator('#channel-name').textContent()).toBe('#general');

    await page.locator('#runbook').selectOption('http-5xx-surge');
    await page.getByRole('button', { name: 'Fire a sample alert' }).click();
    await expect.poll(() => page.locator('#channel-name').textContent(), { timeout: 15_000 }).toMatch(/^#inc-/);
    const messages = page.locator('#messages');
    await messages.getByText('Surge of 5xx responses from the API').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('#topic').textContent()).toContain('Open');
    await messages.getByRole('button', { name: 'Acknowledge' }).waitFor();

    // A diagnostic: its result arrives in the incident message's thread.
    await messages.getByRole('button', { name: 'API /health reports healthy' }).click();
    const replies = messages.getByRole('button', { name: /\d+ repl/ }).first();
    await replies.waitFor({ timeout: 15_000 });
    await replies.click();
    await page.locator('#thread').getByText(/API \/health reports healthy.*succeeded/).waitFor({ timeout: 15_000 });
    expect(ops.calls.get('GET /health')).toBe(1);

    await command('/incident ack');
    await expect.poll(() => page.locator('#topic').textContent(), { timeout: 15_000 }).toMatch(/Acknowledged/i);

    await command('/incident resolve fixed by restarting the API');
    await expect.poll(() => page.locator('#topic').textContent(), { timeout: 15_000 }).toMatch(/Resolved/i);
    // The review is posted as a file in the thread of its summary message; it opens from the page.
    const reviewThread = messages.locator('article', { hasText: /review/i }).getByRole('button', { name: /\d+ repl/ });
    await reviewThread.first().waitFor({ timeout: 20_000 });
    await reviewThread.first().click();
    const file = page.locator('#thread a[data-file]').first();
    await file.waitFor({ timeout: 15_000 });
    const review = await page.request.get(new URL((await file.getAttribute('href')) ?? '', sandbox.url).toString());
    expect(review.status()).toBe(200);
    expect(await review.text()).toMatch(/INC-1[\s\S]*fixed by restarting the API/);

    // The Edit review modal: what is written there comes back in the next revision of the file.
    await messages.getByRole('button', { name: /Edit review/ }).click();
    const box = page.locator('#modal textarea').first();
    await box.waitFor({ timeout: 10_000 });
    await box.fill('A deploy doubled the API connection pool; the database refused the surplus.');
    await page.locator('#modal').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#thread a[data-file]').count(), { timeout: 20_000 }).toBe(2);
    const revised = await page.request.get(new URL((await page.locator('#thread a[data-file]').last().getAttribute('href')) ?? '', sandbox.url).toString());
    expect(await revised.text()).toContain('A deploy doubled the API connection pool');
  }, 120_000);

  it('refuses a mitigation to someone outside the policy, confirms it for L1, escalates from the modal, pins to the timeline', async () => {
    await page.goto(`${sandbox.url}/sandbox`);
    const messages = page.locator('#messages');
    const before = await page.locator('#channel-name').textContent();
    await page.locator('#runbook').selectOption('http-5xx-surge');
    await page.locator('#labels').fill('service=checkout');
    await page.getByRole('button', { name: 'Fire a sample alert' }).click();
    await expect.poll(() => page.locator('#channel-name').textContent(), { timeout: 15_000 }).not.toBe(before);
    const pause = messages.getByRole('button', { name: 'Pause bulk jobs (shed background load)' });
    await pause.waitFor({ timeout: 15_000 });

    // Someone outside the policy: the confirm dialog, then Slack-style refusal only they can see.
    await page.locator('#actor').selectOption('U0SBXOUTSID');
    await pause.click();
    await expect.poll(() => page.locator('#confirm').textContent()).toContain('Pause the application');
    await page.locator('#confirm [data-confirm=yes]').click();
    // The bot records the refusal on the timeline, then answers: wait for that event, however
    // loaded the machine, then for the page to show the answer it is told of at once.
    await waitFor(() => sandbox.bot.deps.db.timelineEvent.findFirst({ where: { type: 'action.refused', actor: 'U0SBXOUTSID' } }), { what: 'the refusal on the timeline', timeoutMs: 90_000 });
    await messages.locator('.ephemeral', { hasText: 'Only responders may run mitigations' }).waitFor();
    expect(ops.calls.get('POST /api/ops/jobs/pause')).toBeUndefined();

    // L1 may: the dialog's Cancel runs nothing, its confirm runs it once.
    await page.locator('#actor').selectOption('U0SBXL1ALEX');
    await pause.click();
    await page.locator('#confirm').getByRole('button', { name: /cancel/i }).click();
    await pause.click();
    await page.locator('#confirm [data-confirm=yes]').click();
    await expect.poll(() => ops.calls.get('POST /api/ops/jobs/pause'), { timeout: 15_000 }).toBe(1);

    // The Escalate modal: a reason, submitted; L2 is paged and gets a direct message.
    await messages.getByRole('button', { name: 'Escalate' }).first().click();
    const modal = page.locator('#modal');
    await modal.locator('textarea').waitFor();
    await modal.locator('textarea').fill('checkout is failing for everyone');
    await modal.getByRole('button', { name: /escalate/i }).last().click();
    await messages.getByText(/escalated INC-\d+ to L2/).first().waitFor({ timeout: 15_000 });
    await page.locator('#actor').selectOption('U0SBXL2SAMO');
    await page.locator('#dms li').first().waitFor({ timeout: 15_000 });

    // 📌 on a message puts it on the timeline.
    await page.locator('#actor').selectOption('U0SBXL1ALEX');
    const paged = messages.locator('article', { hasText: /escalated INC-\d+ to L2/ }).first();
    await paged.getByRole('button', { name: /Pin to timeline/ }).click();
    await paged.locator('.reaction', { hasText: '📌 1' }).waitFor();
    await expect.poll(async () => {
      await page.locator('#command').fill('/incident timeline');
      await page.locator('#command').press('Enter');
      await page.waitForTimeout(500);
      return messages.locator('.ephemeral').last().textContent();
    }, { timeout: 15_000 }).toMatch(/by @incident-bot pinned: ⏫.*escalated INC-\d+ to L2/);
  }, 120_000);
});
