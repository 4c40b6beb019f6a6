export interface GroupCommitOptions {
  /** The most items one write takes. */
  maxBatch: number;
  /** Writes running at once; items that arrive meanwhile wait for the next write and go together. */
  maxInFlight: number;
}

/**
 * Group commit: items that arrive while writes are in flight are written together by the next
 * write, so under load a statement carries many items and, when idle, an item is written at
 * once (on the next turn of the event loop, with whatever arrived in the same turn). `write`
 * answers one result per item, in order. When a write of several items fails, each is written
 * alone, so an item the database refuses fails only its own caller.
 */
export function groupCommit<I, O>(write: (items: I[]) => Promise<O[]>, options: GroupCommitOptions): (item: I) => Promise<O> {
  type Waiting = { item: I; resolve: (out: O) => void; reject: (error: unknown) => void };
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function writeAlone(entry: Waiting): Promise<void> {
    try {
      const [out] = await write([entry.item]);
      if (out === undefined) throw new Error('group commit: the write answered no result');
      entry.resolve(out);
    } catch (error) {
      entry.reject(error);
    }
  }

  async function flush(batch: Waiting[]): Promise<void> {
    inFlight += 1;
    try {
      if (batch.length === 1) return await writeAlone(batch[0]!);
      let results: O[];
      try {
        results = await write(batch.map((entry) => entry.item));
      } catch {
        await Promise.all(batch.map(writeAlone));
        return;
      }
      if (results.length !== batch.length) throw new Error(`group commit: the write answered ${results.length} results for ${batch.length} items`);
      batch.forEach((entry, index) => entry.resolve(results[index]!));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    } finally {
      inFlight -= 1;
      schedule();
    }
  }

  function schedule(): void {
    if (scheduled || waiting.length === 0 || inFlight >= options.maxInFlight) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      while (waiting.length > 0 && inFlight < options.maxInFlight) {
        const batch = waiting.slice(0, options.maxBatch);
        waiting = waiting.slice(batch.length);
        void flush(batch);
      }
    });
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      schedule();
    });
}
