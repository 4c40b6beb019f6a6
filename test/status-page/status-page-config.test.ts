import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema, loadConfigFile } from '../../src/config/config-file.js';
import { startBot } from '../../src/app/start-bot.js';
import { loadEnv } from '../../src/config/env.js';
import { createLogger } from '../../src/log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'status-page-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(yaml: string) {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, yaml);
  return loadConfigFile(file, {});
}

describe('status_page configuration', () => {
  it('reads the title, public URL, port and components', async () => {
    const config = await load(['status_page:', '  title: Acme status', '  public_url: "https://status.example.com"', '  port: 3001', '  components:', '    - { name: API, services: [api, checkout] }', '    - { name: Website, services: [web] }'].join('\n'));
    expect(config.status_page).toEqual({ title: 'Acme status', public_url: 'https://status.example.com', port: 3001, components: [{ name: 'API', services: ['api', 'checkout'] }, { name: 'Website', services: ['web'] }] });
    expect((await load('incidents: {}')).status_page).toBeUndefined();
  });

  it('refuses colliding component names and a public URL that is not one, naming each', async () => {
    await expect(load(['status_page:', '  public_url: "https://status.example.com"', '  components:', '    - { name: API, services: [api] }', '    - { name: "api ", services: [web] }', '    - { name: "Web-site" }', '    - { name: "web site" }'].join('\n'))).rejects.toThrow(
      /status_page\.components\.1\.name: "api" collides with "API"[\s\S]*status_page\.components\.3\.name: "web site" collides with "Web-site"/,
    );
    await expect(load(['status_page:', '  public_url: "status.example.com"'].join('\n'))).rejects.toThrow(/status_page\.public_url: must be the http\(s\):\/\/ URL people open the page at/);
    await expect(load(['status_page:', '  public_url: "javascript:alert(1)"'].join('\n'))).rejects.toThrow(/status_page\.public_url/);
    await expect(load(['status_page:', '  public_url: "https://status.example.com"', '  port: 70000'].join('\n'))).rejects.toThrow(/status_page\.port/);
  });

  it('stops start when the status page would share the bot\'s port', async () => {
    // Refused before any connection is made: this database does not exist.
    const env = loadEnv({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/never_created', PORT: '39871', HOST: '127.0.0.1' });
    const config = configSchema.parse({ status_page: { public_url: 'https://status.example.com', port: 39871 } });
    await expect(startBot({ env, log: createLogger('silent'), config })).rejects.toThrow(/status_page\.port 39871 is also PORT/);
  });
});
