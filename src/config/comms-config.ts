import { z } from 'zod';
import { durationSchema } from './duration.js';

/** `updates:` how often a stakeholder update is due, by severity; a severity not listed gets no reminders. */
export const updatesSchema = z
  .object({
    remind_every: z.record(z.string().regex(/^[a-z0-9_-]{1,20}$/, 'a severity such as critical'), durationSchema).default({ critical: 1_800_000, major: 3_600_000, minor: 14_400_000 }),
  })
  .strict()
  .prefault({});

export const DEFAULT_ROLES = {
  commander: 'Leads the response: decides, delegates, and keeps the update cadence.',
  comms: 'Writes the stakeholder updates (`/incident update`) and answers questions from outside the channel.',
  scribe: 'Keeps the timeline: notes decisions and findings with `/incident note` or :pushpin:.',
} as const;

/** `roles:` role name → its one-line duty, sent to whoever takes the role. */
export const rolesSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9_-]{0,29}$/, 'role names use lowercase letters, digits, - and _'), z.string().min(1).max(300))
  .default({ ...DEFAULT_ROLES });
