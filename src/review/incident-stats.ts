import type { Db } from '../db/client.js';

export interface SeverityStats {
  severity: string;
  resolved: number;
  acknowledged: number;
  /** Mean seconds from opening to the first acknowledgement, over resolved incidents that were acknowledged. */
  mtta: number | null;
  /** Mean seconds from opening to (the last) resolution, over resolved incidents. */
  mttr: number | null;
}

export interface IncidentStats {
  bySeverity: SeverityStats[];
  reviews: { done_on_time: number; done_late: number; overdue: number; pending: number };
}

/**
 * MTTA, MTTR and where reviews stand, read from Postgres (at scrape time: every process reports
 * the same figures, so aggregate them with max(), not sum()). Times run from the first opening to
 * the first acknowledgement and to the last resolution.
 */
export async function incidentStats(db: Db, now: Date): Promise<IncidentStats> {
  const [, bySeverity, [reviews]] = await db.$transaction([
    // A scrape must not hang on a slow database: the figures are skipped instead (see metrics-route).
    db.$executeRaw`SET LOCAL statement_timeout = 2000`,
    db.$queryRaw<SeverityStats[]>`
    SELECT i.severity,
           count(*)::int AS resolved,
           count(a.first_ack)::int AS acknowledged,
           avg(EXTRACT(EPOCH FROM (a.first_ack - i.opened_at)))::float8 AS mtta,
           avg(EXTRACT(EPOCH FROM (i.resolved_at - i.opened_at)))::float8 AS mttr
    FROM incidents i
    LEFT JOIN LATERAL (
      SELECT min(t.at) AS first_ack FROM timeline_events t WHERE t.incident_id = i.id AND t.type = 'incident.acknowledged'
    ) a ON true
    WHERE i.status = 'resolved'
    GROUP BY i.severity
    ORDER BY i.severity`,
    db.$queryRaw<IncidentStats['reviews'][]>`
    SELECT count(*) FILTER (WHERE r.state = 'done' AND r.completed_at <= r.due_at)::int AS done_on_time,
           count(*) FILTER (WHERE r.state = 'done' AND r.completed_at > r.due_at)::int AS done_late,
           count(*) FILTER (WHERE r.state = 'draft' AND i.status = 'resolved' AND r.due_at < ${now})::int AS overdue,
           count(*) FILTER (WHERE r.state = 'draft' AND (i.status <> 'resolved' OR r.due_at >= ${now}))::int AS pending
    FROM reviews r JOIN incidents i ON i.id = r.incident_id`,
  ]);
  return {
    bySeverity,
    reviews: reviews ?? { done_on_time: 0, done_late: 0, overdue: 0, pending: 0 },
  };
}
