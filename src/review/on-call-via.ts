import { z } from 'zod';

const picks = z.array(z.object({ schedule: z.string(), user: z.string(), layer: z.string().nullable(), override: z.number().nullable() }));

/** " (<@U…> on call in backend-primary, layer weekly)" for the people a level's schedules chose; "" when none. */
export function onCallVia(value: unknown): string {
  const parsed = picks.safeParse(value ?? []);
  if (!parsed.success || parsed.data.length === 0) return '';
  const parts = parsed.data.map((pick) => `<@${pick.user}> on call in \`${pick.schedule}\`, ${pick.override !== null ? `override #${pick.override}` : `layer \`${pick.layer ?? ''}\``}`);
  return ` (${parts.join('; ')})`;
}
