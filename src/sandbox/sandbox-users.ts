import type { BotConfig } from '../config/config-file.js';
import { SCHEDULE_PREFIX, scheduleSchema } from '../config/schedule-config.js';

export interface SandboxUser {
  id: string;
  realName: string;
  /** What the page shows beside the name: the level that pages them, or "outside the policy". */
  role: string;
}

const DEMO = { l1: 'U0SBXL1ALEX', l2: 'U0SBXL2SAMO', l3: 'U0SBXL3JORD' } as const;
export const OUTSIDER_ID = 'U0SBXOUTSID';
const NAMES: Record<string, string> = { [DEMO.l1]: 'Alex Kim', [DEMO.l2]: 'Sam Ortiz', [DEMO.l3]: 'Jordan Lee', [OUTSIDER_ID]: 'Robin Diaz' };

/**
 * Escalation needs a policy to show anything: a config that names none gets a small `default` one
 * (L1 → L2 after 5 minutes, 2 for critical), paging sandbox people, so the sandbox can be tried as is.
 */
export function withSandboxPolicy(config: BotConfig): BotConfig {
  const withSchedule = withDemoSchedule(config);
  if (Object.keys(withSchedule.escalation).length > 0) return withSchedule;
  const policy: BotConfig['escalation'][string] = {
    ack_by: 'policy',
    levels: [
      { level: 'L1', notify: [DEMO.l1], ack_timeout: 5 * 60_000, critical_ack_timeout: 2 * 60_000, direct_message: false },
      { level: 'L2', notify: [DEMO.l2], ack_timeout: 10 * 60_000, direct_message: true },
      { level: 'L3', notify: [DEMO.l3], direct_message: true },
    ],
  };
  return { ...withSchedule, escalation: { default: policy } };
}

const DEMO_SCHEDULE = 'backend-primary';

/**
 * On-call needs a schedule to show anything: a config that defines none gets `backend-primary`,
 * a weekly rotation of the sandbox's L1 and L2 people, so `/incident oncall` answers as is.
 */
function withDemoSchedule(config: BotConfig): BotConfig {
  if (Object.keys(config.schedules).length > 0) return config;
  const schedule = scheduleSchema.parse({
    time_zone: 'UTC',
    layers: [{ name: 'weekly', users: [DEMO.l1, DEMO.l2], rotation: 'weekly', handoff: 'monday 09:00', start: '2026-01-05' }],
  });
  return { ...config, schedules: { [DEMO_SCHEDULE]: schedule } };
}

/** The people the page lets you act as: everyone the config's policies page (by level), then someone outside them. */
export function sandboxUsers(config: BotConfig): SandboxUser[] {
  const users = new Map<string, SandboxUser>();
  for (const [policyName, policy] of Object.entries(config.escalation)) {
    for (const level of policy.levels) {
      // A schedule pages whoever is on call: every person of its layers may be that person.
      const people = level.notify.flatMap((id) => (id.startsWith(SCHEDULE_PREFIX) ? (config.schedules[id.slice(SCHEDULE_PREFIX.length)]?.layers.flatMap((layer) => layer.users) ?? []) : [id]));
      for (const id of people) {
        if (id.startsWith('S') || users.has(id)) continue;
        users.set(id, { id, realName: NAMES[id] ?? `${level.level} responder ${users.size + 1}`, role: `${level.level} (${policyName})` });
      }
    }
  }
  for (const id of config.responders) {
    if (!id.startsWith('S') && !users.has(id)) users.set(id, { id, realName: NAMES[id] ?? `Responder ${users.size + 1}`, role: 'responder' });
  }
  users.set(OUTSIDER_ID, { id: OUTSIDER_ID, realName: NAMES[OUTSIDER_ID] ?? 'Outsider', role: 'outside the policy' });
  for (const [name, schedule] of Object.entries(config.schedules)) {
    for (const id of schedule.layers.flatMap((layer) => layer.users)) {
      const user = users.get(id);
      const rotation = `in the ${name} on-call rotation`;
      if (user && !user.role.includes(rotation)) user.role = `${user.role}, ${rotation}`;
    }
  }
  return [...users.values()];
}
