import { z } from 'zod';

/** What a runbook action button carries: ids only, so a button keeps working across restarts. */
export const actionButtonValue = z.object({ incidentId: z.uuid(), actionId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/) });
export type ActionButtonValue = z.infer<typeof actionButtonValue>;

export const RUN_ACTION_PREFIX = 'run-action:';

export function encodeActionButton(value: ActionButtonValue): string {
  return JSON.stringify(value);
}

/** Parses a button value; undefined when it is not one of ours or is malformed. */
export function decodeActionButton(text: string | undefined): ActionButtonValue | undefined {
  if (!text) return undefined;
  try {
    const parsed = actionButtonValue.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
