// `npm run db:migrate`: applies pending migrations without starting the bot.
import { createLogger } from '../log.js';
import { migrate } from './migrate.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is required: a Postgres connection string such as postgresql://user:password@host:5432/incident_bot');
  process.exit(1);
}
const log = createLogger(process.env.LOG_LEVEL ?? 'info');
const applied = await migrate(databaseUrl, log);
console.log(applied.length === 0 ? 'database is up to date' : `applied ${applied.length} migration(s): ${applied.join(', ')}`);
