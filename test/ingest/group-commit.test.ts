import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/ingest/group-commit.js';

/** A write the test releases by hand, recording what each call was given. */
function heldWrites(fail: (items: string[]) => Error | undefined = () => undefined) {
  const calls: string[][] = [];
  const pending: (() => void)[] = [];
  const write = (items: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push(items);
      pending.push(() => {
        const error = fail(items);
        if (error) reject(error);
        else resolve(items.map((item) => `stored ${item}`));
      });
    });
  const releaseAll = async () => {
    // A released write lets the next one start on a later turn of the event loop.
    for (let turn = 0; turn < 20; turn++) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { calls, write, releaseAll };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes what arrives while a write is in flight together, and answers each caller with its own result', async () => {
    const writes = heldWrites();
    const store = groupCommit(writes.write, { maxBatch: 10, maxInFlight: 1, retryAlone: () => false });
    const first = store('a');
    await settle();
    const rest = ['b', 'c', 'd'].map(store);
    await settle();
    expect(writes.calls).toEqual([['a']]);
    await writes.releaseAll();
    expect(writes.calls).toEqual([['a'], ['b', 'c', 'd']]);
    expect(await Promise.all([first, ...rest])).toEqual(['stored a', 'stored b', 'stored c', 'stored d']);
  });

  it('takes at most maxBatch items per write and keeps their order', async () => {
    const writes = heldWrites();
    const store = groupCommit(writes.write, { maxBatch: 2, maxInFlight: 1, retryAlone: () => false });
    const answers = Promise.all(['a', 'b', 'c', 'd', 'e'].map(store));
    await settle();
    await writes.releaseAll();
    expect(writes.calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(await answers).toEqual(['stored a', 'stored b', 'stored c', 'stored d', 'stored e']);
  });

  it('writes each item alone after a refused batch, so only the refused item fails', async () => {
    const writes = heldWrites((items) => (items.includes('bad') ? new Error('refused') : undefined));
    const store = groupCommit(writes.write, { maxBatch: 10, maxInFlight: 1, retryAlone: () => true });
    const answers = Promise.allSettled(['a', 'bad', 'c'].map(store));
    await settle();
    await writes.releaseAll();
    expect(writes.calls).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
    expect((await answers).map((answer) => (answer.status === 'fulfilled' ? answer.value : (answer.reason as Error).message))).toEqual(['stored a', 'refused', 'stored c']);
  });

  it('fails the whole batch at once when retrying alone would not help', async () => {
    const writes = heldWrites(() => new Error('database down'));
    const store = groupCommit(writes.write, { maxBatch: 10, maxInFlight: 1, retryAlone: () => false });
    const answers = Promise.allSettled(['a', 'b'].map(store));
    await settle();
    await writes.releaseAll();
    expect(writes.calls).toEqual([['a', 'b']]);
    expect((await answers).map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
  });
});
