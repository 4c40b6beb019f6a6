import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startOpsService } from '../support/ops-service.js';
import { launchChromium, startSandboxBot, type SandboxBot } from '../support/sandbox-bot.js';

// A person trying the bot in the sandbox page, in a real (headless) Chromium.
describe('the Slack sandbox in a browser', () => {
  let sandbox: SandboxBot;
  let ops: Awaited<ReturnType<typeof startOpsService>>;
  let chromium: { browser: BrowserContext; close(): Promise<void> };
  let page: Page;

  beforeAll(async () => {
    ops = await startOpsService();
    sandbox = await startSandboxBot({ targets: { api: { type: 'http', url: ops.url } } });
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
  }, 120_000);
});
