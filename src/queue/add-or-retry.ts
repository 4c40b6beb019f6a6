import type { JobsOptions, Queue } from 'bullmq';

/**
 * Adds a job under a fixed id, or retries it when a job with that id already failed for good:
 * a stored job's id blocks re-adding it, so a plain add would silently do nothing. A completed
 * job is run again only with `rerunCompleted` (an id that names recurring work, not one event).
 */
/** What addOrRetry needs of a queue: typed by its payload, whatever BullMQ infers for its job names. */
interface JobQueue<T> {
  getJob: Queue['getJob'];
  add(name: string, data: T, options: JobsOptions): Promise<unknown>;
}

export async function addOrRetry<T>(queue: JobQueue<T>, name: string, data: T, jobId: string, options: JobsOptions = {}, rerunCompleted = true): Promise<void> {
  const existing = await queue.getJob(jobId);
  if (existing && (await existing.isFailed())) {
    await existing.retry('failed');
    return;
  }
  if (existing && (await existing.isCompleted())) {
    if (!rerunCompleted) return;
    await existing.remove();
  }
  await queue.add(name, data, { ...options, jobId });
}
