import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/db/migrate.js';
import { adminQuery, databaseUrl } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** Builds this run's template database once: every test database is a copy of it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = `incident_bot_template_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${template}"`);
  await migrate(databaseUrl(template), pino({ level: 'silent' }));
  project.provide('templateDatabase', template);
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  };
}
