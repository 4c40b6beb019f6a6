import { z } from 'zod';

/** A press of a button whose value is an incident id (the incident controls, the review's buttons). */
export const incidentButtonPress = z.object({
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ value: z.uuid() })).min(1),
});

/** An ephemeral answer to the person who pressed, leaving the message as it is. */
export function ephemeral(text: string): { response_type: 'ephemeral'; replace_original: false; text: string } {
  return { response_type: 'ephemeral', replace_original: false, text };
}

export const MALFORMED_PRESS = 'This button is malformed and did nothing.';
