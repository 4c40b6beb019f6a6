import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionInputError } from '../../src/actions/action-result.js';
import { parseJsonPath, readJsonPath } from '../../src/actions/executors/json-path.js';
import { fillPromQL } from '../../src/actions/templates/fill-promql.js';
import { fillTemplate, templateProblems } from '../../src/actions/templates/fill-template.js';
import { targetUrl } from '../../src/actions/templates/target-url.js';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { action } from './support/action-context.js';

const refused = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ActionInputError);
    return (error as Error).message;
  }
  throw new Error('expected an ActionInputError');
};

describe('templateProblems', () => {
  it('accepts placeholders in the http path and query values, a PromQL string and a redis key', () => {
    expect(templateProblems(action({ type: 'http', request: { path: '/items/{{labels.id}}', query: { job: '{{labels.job}}' } } }))).toEqual([]);
    expect(templateProblems(action({ type: 'prometheus', query: 'up{job="{{labels.job}}", instance=~\'{{ labels.instance }}\'}' }))).toEqual([]);
    expect(templateProblems(action({ type: 'redis', command: 'llen', key: 'bull:{{labels.queue}}:wait' }))).toEqual([]);
  });

  it.each([
    ['an http header', { type: 'http', request: { path: '/x', headers: { 'X-Job': '{{labels.job}}' } } }, 'request.headers.X-Job'],
    ['an http body', { type: 'http', request: { method: 'POST', path: '/x', body: { tags: ['{{labels.tag}}'] } } }, 'request.body.tags[0]'],
    ['a query parameter name', { type: 'http', request: { path: '/x', query: { '{{labels.k}}': 'v' } } }, 'request.query.{{labels.k}} (the name)'],
    ['a postgres query', { type: 'postgres', query: "select * from jobs where queue = '{{labels.queue}}'" }, 'query'],
    ['a command argv', { type: 'command', argv: ['kubectl', 'rollout', 'restart', '{{labels.deployment}}'] }, 'argv[3]'],
    ['a redis queue name', { type: 'redis', command: 'queue-counts', queue: '{{labels.queue}}' }, 'queue'],
    ['a button label', { type: 'redis', command: 'ping', label: 'Ping {{labels.instance}}' }, 'label'],
  ])('reports a placeholder in %s', (_name, raw, where) => {
    const problems = templateProblems(action(raw));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${where}: a template placeholder is allowed only in`);
  });

  it('reports a PromQL placeholder outside a quoted string, in a raw string, and malformed placeholders', () => {
    expect(templateProblems(action({ type: 'prometheus', query: 'up{job={{labels.job}}}' }))[0]).toContain('must stand inside a quoted string');
    expect(templateProblems(action({ type: 'prometheus', query: 'topk({{labels.n}}, up)' }))[0]).toContain('must stand inside a quoted string');
    expect(templateProblems(action({ type: 'prometheus', query: 'up{job=`{{labels.job}}`}' }))[0]).toContain('not a raw string');
    expect(templateProblems(action({ type: 'http', request: { path: '/x/{{job}}' } }))[0]).toContain('request.path: malformed placeholder');
    expect(templateProblems(action({ type: 'redis', command: 'llen', key: 'x:{{labels.a-b}}' }))[0]).toContain('key: malformed placeholder');
  });

  it('finds no problem in the shipped runbooks', async () => {
    const runbooks = await loadRunbooks(path.resolve(import.meta.dirname, '../../runbooks'));
    const problems = runbooks.flatMap((runbook) => runbook.actions.flatMap((item) => templateProblems(item).map((problem) => `${runbook.id}/${item.id}: ${problem}`)));
    expect(problems).toEqual([]);
  });
});

describe('filling templates', () => {
  it('fills checked label values and names a missing label', () => {
    expect(fillTemplate('bull:{{labels.queue}}:wait', { queue: 'emails' })).toBe('bull:emails:wait');
    expect(refused(() => fillTemplate('bull:{{labels.queue}}:wait', {}))).toContain('no label "queue"');
  });

  it.each([
    ['path traversal', '../admin'],
    ['a slash', 'a/b'],
    ['a dot-dot inside', 'a..b'],
    ['CR/LF', 'x\r\nX-Injected: 1'],
    ['whitespace', 'a b'],
    ['a percent sign', '%2e%2e'],
    ['a quote', 'a"} or vector(1) #'],
    ['an empty value', ''],
    ['a value over 200 characters', 'a'.repeat(201)],
  ])('refuses a value with %s', (_name, value) => {
    expect(refused(() => fillTemplate('/items/{{labels.id}}', { id: value }, encodeURIComponent))).toContain('label "id"');
  });

  it('escapes PromQL values for their string literal, and for a regular expression after =~', () => {
    expect(fillPromQL('up{job="{{labels.job}}"}', { job: 'api.v2' })).toBe('up{job="api.v2"}');
    expect(fillPromQL('up{job=~"{{labels.job}}"}', { job: 'api.v2' })).toBe('up{job=~"api\\\\.v2"}');
    expect(fillPromQL('up{a="#\\"", job="{{labels.job}}"} # a comment', { job: 'api' })).toBe('up{a="#\\"", job="api"} # a comment');
    expect(refused(() => fillPromQL('up # "{{labels.job}}"', { job: 'api' }))).toContain('quoted string');
    expect(refused(() => fillPromQL('up{job={{labels.job}}}', { job: 'api' }))).toContain('quoted string');
  });
});

describe('targetUrl', () => {
  it('keeps the base path, leaves credentials out and adds the query', () => {
    expect(targetUrl('http://u:p@api:8080/ops', '/health', { a: '1' }).toString()).toBe('http://api:8080/ops/health?a=1');
    expect(targetUrl('http://api:8080', '/a:b/c').toString()).toBe('http://api:8080/a:b/c');
    expect(targetUrl('http://api:8080/', '//evil.example/x').origin).toBe('http://api:8080');
  });

  it('refuses a path that climbs out of the base path', () => {
    expect(refused(() => targetUrl('http://api:8080/ops/', '/../admin'))).toContain('leaves the target');
  });
});

describe('JSON paths', () => {
  it('reads dotted and bracket paths', () => {
    const value = { dependencies: { database: 'up' }, items: [{ 'a-b': 1 }] };
    expect(readJsonPath(value, '$.dependencies.database')).toEqual({ found: true, value: 'up' });
    expect(readJsonPath(value, "$.items[0]['a-b']")).toEqual({ found: true, value: 1 });
    expect(readJsonPath(value, '$.items[1]')).toEqual({ found: false });
    expect(readJsonPath(value, '$')).toEqual({ found: true, value });
    expect(parseJsonPath('$..x')).toBeNull();
  });
});
