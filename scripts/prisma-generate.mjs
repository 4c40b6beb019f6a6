// Runs `prisma generate` without network access. Prisma's CLI insists that a schema-engine binary
// exists before any command, and downloads one when it is missing; `generate` never runs it, so
// pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file (node itself) keeps it offline.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve('prisma/build/index.js');
} catch {
  console.error('prisma is not installed: run `npm ci` (with dev dependencies) to generate the database client');
  process.exit(1);
}
const result = spawnSync(process.execPath, [cli, 'generate'], {
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
process.exit(result.status ?? 1);
