/** One alert as every part behind the ingest edge sees it, whatever its source. */
export interface AlertSignal {
  source: 'alertmanager' | 'sentry';
  fingerprint: string;
  status: 'firing' | 'resolved';
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  endsAt: Date | null;
  generatorUrl: string | null;
}

/** What one webhook delivery carries: a group of alerts that belong to one incident. */
export interface AlertBatch {
  source: AlertSignal['source'];
  /** Correlation key: alerts with the same key join the same active incident. */
  groupKey: string;
  status: 'firing' | 'resolved';
  title: string;
  externalUrl: string | null;
  commonLabels: Record<string, string>;
  alerts: AlertSignal[];
}
