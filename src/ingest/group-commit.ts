export interface GroupCommitOptions {
  /** The most items one write takes. */
  maxBatch: number;
  /** Writes running at once; items that arrive meanwhile wait for the next write and go together. */
  maxInFlight: number;
  /**
   * Whether, after this error of a write of several items, each item is written again alone (one
   * after the other), so an item the database refuses fails only its own caller. Answer false for
   * errors after which nothing is worth retrying: the database is down, or the write got as far
   * as storing the items.
   */
  retryAlone: (error: unknown) => boolean;
}

/**
 * Group commit: items that arrive while writes are in flight are written together by the next
 * write, so under load a statement carries many items and, when idle, an item is written at
 * once (on the next turn of the event loop, with whatever arrived in the same turn). `write`
 * answers one result per item, in order.
 */
export function groupCommit<I, O>(write: (items: I[]) => Promise<O[]>, options: GroupCommitOptions): (item: I) => Promise<O> {
  type Waiting = { item: I; resolve: (out: O) => void; reject: (error: unknown) => void };
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function writeNow(batch: Waiting[]): Promise<void> {
    const results = await write(batch.map((entry) => entry.item));
    if (results.length !== batch.length) throw new Error(`group commit: the write answered ${results.length} results for ${batch.length} items`);
    results.forEach((result, index) => batch[index]?.resolve(result));
  }

  async function flush(batch: Waiting[]): Promise<void> {
    inFlight += 1;
    try {
      await writeNow(batch);
    } catch (error) {
      if (batch.length > 1 && options.retryAlone(error)) {
        for (const entry of batch) await writeNow([entry]).catch(entry.reject);
      } else {
        for (const entry of batch) entry.reject(error);
      }
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
