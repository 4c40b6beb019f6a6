import type { BotConfig } from '../config/config-file.js';
import type { AlertBatch } from './alert-signal.js';
import { matchRunbook } from '../runbooks/match-runbook.js';
import { correlationKeyOf } from './correlate-group.js';
import type { Runbook } from '../runbooks/runbook.js';
import type { IncidentLink } from '../record/incident-links.js';


/** What a new incident is made of, decided from the alert batch that opens it. */
export function openIncidentData(batch: AlertBatch, runbooks: readonly Runbook[], config: BotConfig) {
  const lead = batch.alerts.find((alert) => alert.status === 'firing') ?? batch.alerts[0];
  const labels = { ...lead?.labels, ...batch.commonLabels };
  const runbook = matchRunbook(runbooks, { source: batch.source, labels });
  const links: IncidentLink[] = [];
  if (lead?.generatorUrl) links.push({ label: 'Source', url: lead.generatorUrl });
  if (batch.externalUrl) links.push({ label: batch.source === 'alertmanager' ? 'Alertmanager' : 'Sentry', url: batch.externalUrl });
  const runbookUrl = lead?.annotations.runbook_url;
  if (runbookUrl) links.push({ label: 'Runbook', url: runbookUrl });
  return {
    title: batch.title.slice(0, 200),
    severity: labels[config.incidents.severity_label] ?? runbook?.severity ?? 'major',
    source: batch.source,
    groupKey: batch.groupKey,
    activeGroupKey: batch.groupKey,
    runbookId: runbook?.id ?? null,
    summary: lead?.annotations.summary ?? null,
    description: lead?.annotations.description ?? null,
    links: links.map((link) => ({ ...link })),
    labels,
    correlationKey: correlationKeyOf(labels, config.incidents.group_by),
  };
}
