import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseJsonBody } from '../../src/ingest/parse-json-body.js';

const silent = pino({ level: 'silent' });
const parse = (text: string) => parseJsonBody(Buffer.from(text, 'utf8'), silent);

describe('parseJsonBody and what Postgres cannot store', () => {
  it('replaces NUL and unpaired surrogates, in values and keys, whatever the case of the escape', () => {
    expect(parse('{"a":"x\\u0000y","b":["\\uD800","\\udfff!"],"c\\u0000":1}')).toEqual({ a: 'x\uFFFDy', b: ['\uFFFD', '\uFFFD!'], 'c\uFFFD': 1 });
  });

  it('keeps what Postgres stores: surrogate pairs, whether escaped or sent as UTF-8, and a backslash before "u0000"', () => {
    const body = '{"escaped":"\\ud83d\\udd25","raw":"🔥","literal":"\\\\u0000","high then low":"\\uD83D\\uDE80x"}';
    expect(parse(body)).toEqual({ escaped: '🔥', raw: '🔥', literal: '\\u0000', 'high then low': '🚀x' });
  });

  it('counts what it replaced in a warning', () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    parseJsonBody(Buffer.from('{"a":"\\u0000\\u0000","b":"\\udc00\\ud800"}'), log);
    expect(lines.map((line) => JSON.parse(line) as { replaced: number })).toMatchObject([{ replaced: 4 }]);
  });
});
