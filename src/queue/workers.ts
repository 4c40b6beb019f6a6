import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Deps } from '../deps.js';
import { processDelivery } from '../incidents/process-delivery.js';
import { syncIncident } from '../slack/sync-incident.js';
import { JOB, QUEUE, processDeliveryJob, syncIncidentJob } from './jobs.js';

export interface WorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency?: { incidents?: number; slack?: number };
}

function parse<T>(schema: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: Error } }, job: Job): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`job ${job.name} has an invalid payload: ${parsed.error.message}`);
  return parsed.data;
}

/** The processors: each parses its payload and calls one use case. */
export function startWorkers(deps: Deps, options: WorkerOptions): Worker[] {
  const common = { connection: options.connection, prefix: options.prefix, autorun: true };
  const incidents = new Worker(
    QUEUE.incidents,
    async (job) => {
      if (job.name !== JOB.processDelivery) throw new UnrecoverableError(`unknown job ${job.name}`);
      const { deliveryId } = parse(processDeliveryJob, job);
      const outcome = await processDelivery({ ...deps, log: deps.log.child({ jobId: job.id, deliveryId }) }, deliveryId);
      if (outcome.incidentId) await deps.queues.syncIncident(outcome.incidentId);
      return outcome;
    },
    { ...common, concurrency: options.concurrency?.incidents ?? 8 },
  );
  const slack = new Worker(
    QUEUE.slack,
    async (job) => {
      if (job.name !== JOB.syncIncident) throw new UnrecoverableError(`unknown job ${job.name}`);
      const { incidentId } = parse(syncIncidentJob, job);
      await syncIncident({ ...deps, log: deps.log.child({ jobId: job.id, incidentId }) }, incidentId);
    },
    { ...common, concurrency: options.concurrency?.slack ?? 4 },
  );
  for (const worker of [incidents, slack]) {
    worker.on('failed', (job, error) => deps.log.warn({ queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'));
    worker.on('error', (error) => deps.log.error({ queue: worker.name, err: error }, 'worker error'));
  }
  return [incidents, slack];
}
