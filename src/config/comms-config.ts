import { z } from 'zod';
import { durationSchema } from './duration.js';

/** Names each key that does not match, at its own path (zod's own message for record keys says only "Invalid key"). */
function keysMatch(pattern: RegExp, message: string) {
  return (record: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const key of Object.keys(record)) if (!pattern.test(key)) ctx.addIssue({ code: 'custom', path: [key], message });
  };
}

/** `updates:` how often a stakeholder update is due, by severity; a severity not listed gets no reminders. */
export const updatesSchema = z
  .object({
    remind_every: z
      .record(z.string(), durationSchema)
      .superRefine(keysMatch(/^[a-z0-9_-]{1,20}$/, 'is not a severity: severities use lowercase letters, digits, - and _'))
      .default({ critical: 1_800_000, major: 3_600_000, minor: 14_400_000 }),
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
  .record(z.string(), z.string().min(1, 'say what the role does').max(300))
  .superRefine(keysMatch(/^[a-z][a-z0-9_-]{0,29}$/, 'role names use lowercase letters, digits, - and _ (at most 30)'))
  .default({ ...DEFAULT_ROLES });
