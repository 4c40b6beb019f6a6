import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the README', () => {
  it('lists exactly the Slack scopes manifest.yml asks for', async () => {
    const manifest = parseYaml(await readFile(path.join(ROOT, 'manifest.yml'), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } };
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const sentence = /It asks for only the scopes the bot uses:([^(]*)/.exec(readme)?.[1] ?? '';
    const listed = [...sentence.matchAll(/`([a-z:.]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });
});
