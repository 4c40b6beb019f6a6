import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.js';

export type Db = PrismaClient;
export { Prisma } from './generated/client.js';
export type { Incident, Alert, TimelineEvent, ChannelPost, WebhookDelivery, ActionRun, Escalation, Review, FollowUp } from './generated/client.js';

/** A Prisma client over node-postgres: no engine binary needed. */
export function createDb(databaseUrl: string, poolSize = 20): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}
