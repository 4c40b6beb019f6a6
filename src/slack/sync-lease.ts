import type { Incident } from '../db/client.js';
import type { Deps } from '../deps.js';

/**
 * How long an incident's Slack sync lease lasts without renewal. The holder renews it on a
 * heartbeat while it works (paced waits included), so a live worker is never overtaken into
 * posting a message twice, and a crashed one holds up the channel for at most this long: short,
 * because after a crash the channel is what responders wait for. A holder that misses renewals for
 * this long (an event loop blocked for seconds) stops before its next Slack call.
 */
export const LEASE_MS = 8_000;
export const HEARTBEAT_MS = 2_000;
/** The lease a sync holds: its owner token, and whether a renewal found it taken over. */
export interface Lease {
  owner: string;
  lost: boolean;
}

/** What a Slack sync needs, with the lease it holds once it has one. */
export type SyncDeps = Pick<Deps, 'db' | 'slack' | 'config' | 'runbooks' | 'log' | 'metrics' | 'clock'> & { lease?: Lease };

/** The sync lost its lease (it could not renew it in time): it stops before its next Slack call. */
class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/** Takes the incident's Slack lease when nobody holds it, and returns the incident fresh; `held` when another sync holds it. */
export async function takeLease(deps: SyncDeps, incidentId: string, owner: string): Promise<Incident | 'held' | undefined> {
  const rows = await deps.db.$queryRaw<{ id: string }[]>`
    UPDATE incidents SET slack_lease_until = now() + make_interval(secs => ${LEASE_MS / 1000}), slack_lease_owner = ${owner}::uuid
    WHERE id = ${incidentId}::uuid AND (slack_lease_until IS NULL OR slack_lease_until < now())
    RETURNING id`;
  if (rows.length === 0) return (await deps.db.incident.count({ where: { id: incidentId } })) > 0 ? 'held' : undefined;
  return (await deps.db.incident.findUnique({ where: { id: incidentId } })) ?? undefined;
}

/** Milliseconds until the current lease runs out, by the database's clock (the one leases are taken by). */
export async function leaseLeft(deps: Pick<Deps, 'db'>, incidentId: string): Promise<number> {
  const rows = await deps.db.$queryRaw<{ ms: number | null }[]>`
    SELECT (EXTRACT(EPOCH FROM (slack_lease_until - now())) * 1000)::float8 AS ms FROM incidents WHERE id = ${incidentId}::uuid`;
  return Math.max(0, Math.ceil(rows[0]?.ms ?? 0));
}

/** Renews the lease if this sync still holds it; throws before a Slack call once it is lost. */
export async function renewLease(deps: SyncDeps, incidentId: string): Promise<void> {
  const lease = deps.lease;
  if (!lease) return;
  if (lease.lost) throw new LeaseLostError(`lost the Slack lease of incident ${incidentId}`);
  const renewed = await deps.db.$executeRaw`UPDATE incidents SET slack_lease_until = now() + make_interval(secs => ${LEASE_MS / 1000}) WHERE id = ${incidentId}::uuid AND slack_lease_owner = ${lease.owner}::uuid`;
  if (renewed === 0) {
    lease.lost = true;
    throw new LeaseLostError(`lost the Slack lease of incident ${incidentId}`);
  }
}


/** Gives the lease back, if this sync still holds it. */
export async function releaseLease(deps: Pick<Deps, 'db'>, incidentId: string, owner: string): Promise<void> {
  await deps.db.incident.updateMany({ where: { id: incidentId, slackLeaseOwner: owner }, data: { slackLeaseUntil: null, slackLeaseOwner: null } });
}
