import type { MatchRule, RunbookAction } from './runbook-schema.js';

export const SECTION_NAMES = ['Symptoms', 'Diagnostics', 'Mitigation', 'Recovery', 'Prevention'] as const;

export interface RunbookSection {
  title: string;
  markdown: string;
}

/** A validated runbook: front matter plus the Markdown body split into its `## ` sections. */
export interface Runbook {
  id: string;
  file: string;
  title: string;
  severity: string;
  escalation: string;
  isDefault: boolean;
  services: string[];
  match: MatchRule[];
  actions: RunbookAction[];
  sections: RunbookSection[];
}

/** What runbook matching looks at: the alert source and its labels (Sentry fields count as labels). */
export interface MatchSubject {
  source: string;
  labels: Record<string, string>;
}
