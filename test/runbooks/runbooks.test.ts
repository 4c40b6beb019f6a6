import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { matchRunbook } from '../../src/runbooks/match-runbook.js';
import { parseRunbook } from '../../src/runbooks/parse-runbook.js';
import { RUNBOOKS_DIR } from '../support/test-bot.js';

const body = '## Symptoms\nIt breaks.\n\n## Diagnostics\nLook.\n\n## Mitigation\nFix.\n\n## Recovery\nCheck.\n\n## Prevention\nTest.\n';

function runbook(front: string): string {
  return `---\n${front}\n---\n${body}`;
}

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbooks-'));
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(path.join(dir, name), text)));
  return dir;
}

describe('runbook files', () => {
  it('splits the body into its sections', () => {
    const parsed = parseRunbook('x.md', runbook('id: x\ntitle: X\nmatch:\n  - alertname: X'));
    expect(parsed.sections.map((section) => section.title)).toEqual(['Symptoms', 'Diagnostics', 'Mitigation', 'Recovery', 'Prevention']);
    expect(parsed.sections[0]?.markdown).toBe('It breaks.');
  });

  it.each([
    ['no front matter', '# Just markdown\n', 'missing YAML front matter'],
    ['a bad id', runbook('id: Bad_Id\ntitle: X\nmatch:\n  - alertname: X'), 'id: use lowercase letters'],
    ['an unknown key', runbook('id: x\ntitle: X\nowner: me\nmatch:\n  - alertname: X'), 'owner'],
    ['no match rules', runbook('id: x\ntitle: X'), 'match: a runbook needs match rules'],
    ['a bad regex', runbook('id: x\ntitle: X\nmatch:\n  - title: "/(unclosed/i"'), 'match.0.title: invalid regular expression'],
    ['an unknown action type', runbook('id: x\ntitle: X\nmatch:\n  - alertname: X\nactions:\n  - { id: a, label: A, kind: diagnostic, type: ssh, target: t }'), 'actions.0.type'],
    ['duplicate action ids', runbook('id: x\ntitle: X\nmatch:\n  - alertname: X\nactions:\n  - { id: a, label: A, kind: diagnostic, type: postgres, target: db, query: select 1 }\n  - { id: a, label: B, kind: diagnostic, type: postgres, target: db, query: select 2 }'), 'duplicate action id "a"'],
    ['a misspelt action key', runbook('id: x\ntitle: X\nmatch:\n  - alertname: X\nactions:\n  - { id: a, label: A, kind: diagnostic, type: postgres, target: db, query: select 1, retires: 3 }'), 'actions.0: Unrecognized key: "retires"'],
    ['a misspelt key in an http request', runbook('id: x\ntitle: X\nmatch:\n  - alertname: X\nactions:\n  - { id: a, label: A, kind: diagnostic, type: http, target: api, request: { path: /health, tiemout: 5s } }'), 'actions.0.request: Unrecognized key: "tiemout"'],
    ['a button label over 75 characters', runbook(`id: x\ntitle: X\nmatch:\n  - alertname: X\nactions:\n  - { id: a, label: ${'L'.repeat(76)}, kind: diagnostic, type: postgres, target: db, query: select 1 }`), '75 characters'],
  ])('refuses %s, naming the file and the reason', async (_name, text, reason) => {
    const dir = await folder({ 'broken.md': text });
    const error = await loadRunbooks(dir).then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.message).toContain(path.join(dir, 'broken.md'));
    expect(error?.message).toContain(reason);
  });

  it('reports every problem of a file, and of every file, not the first', async () => {
    const dir = await folder({
      'a.md': runbook('id: a\ntitle: A\nmatch:\n  - alertname: A\n    title: "/(unclosed/"\nactions:\n  - { id: a, label: A, kind: diagnostic, type: postgres, target: db, query: select 1, tiemout: 5s }\n  - { id: b, label: B, kind: diagnostic, type: redis, target: cache, command: flushall }'),
      'b.md': runbook('id: b\ntitle: B\nmatch:\n  - alertname: B\nactions:\n  - { id: a, label: A, kind: diagnostic, type: postgres, target: db, query: select 1, retires: 3 }'),
    });
    const error = await loadRunbooks(dir).then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.message).toContain(`${path.join(dir, 'a.md')}: 3 problems`);
    expect(error?.message).toContain('"tiemout"');
    expect(error?.message).toContain('actions.1.command');
    expect(error?.message).toContain('match.0.title: invalid regular expression');
    expect(error?.message).toContain(`${path.join(dir, 'b.md')}: actions.0: Unrecognized key: "retires"`);
  });

  it('refuses two runbooks with the same id and two defaults', async () => {
    const same = await folder({ 'a.md': runbook('id: x\ntitle: A\nmatch:\n  - alertname: A'), 'b.md': runbook('id: x\ntitle: B\nmatch:\n  - alertname: B') });
    await expect(loadRunbooks(same)).rejects.toThrow(/b\.md: id "x" is already used by .*a\.md/);
    const defaults = await folder({ 'a.md': runbook('id: a\ntitle: A\ndefault: true'), 'b.md': runbook('id: b\ntitle: B\ndefault: true') });
    await expect(loadRunbooks(defaults)).rejects.toThrow(/only one runbook may be the default/);
  });
});

describe('runbook matching', () => {
  const runbooks = [
    parseRunbook('db.md', runbook('id: db\ntitle: DB\nmatch:\n  - alertname: [PostgresDown, DatabaseConnectionErrors]')),
    parseRunbook('db-api.md', runbook('id: db-api\ntitle: DB for API\nmatch:\n  - alertname: DatabaseConnectionErrors\n    service: api')),
    parseRunbook('z-regex.md', runbook('id: z-regex\ntitle: Regex\nmatch:\n  - alertname: "/Database.*/"\n    service: api')),
    parseRunbook('sentry.md', runbook('id: sentry\ntitle: Sentry\nmatch:\n  - source: sentry\n    title: "/connection (refused|reset)/i"')),
    parseRunbook('default.md', runbook('id: default\ntitle: Default\ndefault: true')),
  ];
  const subject = (labels: Record<string, string>, source = 'alertmanager') => ({ source, labels });

  it('matches a value from a list', () => {
    expect(matchRunbook(runbooks, subject({ alertname: 'PostgresDown' }))?.id).toBe('db');
  });

  it('prefers the most specific rule, and exact values over a regex of the same size', () => {
    expect(matchRunbook(runbooks, subject({ alertname: 'DatabaseConnectionErrors', service: 'api' }))?.id).toBe('db-api');
    expect(matchRunbook(runbooks, subject({ alertname: 'DatabaseConnectionErrors', service: 'worker' }))?.id).toBe('db');
    expect(matchRunbook(runbooks, subject({ alertname: 'DatabaseSlow', service: 'api' }))?.id).toBe('z-regex');
  });

  it('breaks ties by runbook id, whatever the file order', () => {
    const a = parseRunbook('a.md', runbook('id: a-first\ntitle: A\nmatch:\n  - service: api'));
    const b = parseRunbook('b.md', runbook('id: b-second\ntitle: B\nmatch:\n  - alertname: X'));
    expect(matchRunbook([b, a], subject({ alertname: 'X', service: 'api' }))?.id).toBe('a-first');
    expect(matchRunbook([a, b], subject({ alertname: 'X', service: 'api' }))?.id).toBe('a-first');
  });

  it('matches Sentry entries on source and a case-insensitive title regex', () => {
    expect(matchRunbook(runbooks, subject({ title: 'Error: Connection REFUSED by upstream' }, 'sentry'))?.id).toBe('sentry');
    expect(matchRunbook(runbooks, subject({ title: 'Error: Connection REFUSED by upstream' }))?.id).toBe('default');
  });

  it('falls back to the default runbook', () => {
    expect(matchRunbook(runbooks, subject({ alertname: 'SomethingElse' }))?.id).toBe('default');
  });
});

describe('the runbooks this project ships', () => {
  it('all load, with one default and the five sections each', async () => {
    const shipped = await loadRunbooks(RUNBOOKS_DIR);
    expect(shipped.length).toBeGreaterThanOrEqual(10);
    expect(shipped.filter((item) => item.isDefault)).toHaveLength(1);
    for (const item of shipped) {
      expect(item.sections.map((section) => section.title), item.file).toEqual(expect.arrayContaining(['Symptoms', 'Diagnostics', 'Mitigation', 'Recovery', 'Prevention']));
    }
  });
});
