import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/databases.js';
import { applyCopy, copiesOf, envOf, readDockerfile, workdirOf, type Stage } from '../support/dockerfile.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { freePort } from '../support/free-port.js';
import { BOT_TOKEN, REDIS_URL, RUNBOOKS_DIR, SHIPPED_CONFIG, SIGNING_SECRET } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/*
 * There is no Docker engine here, so this lays out what the image holds and runs it. Both stages
 * are laid out from the Dockerfile's own COPY lines (parsed, not listed here), so a Dockerfile
 * change that drops a file the bot needs fails this test. Two steps are stood in for:
 * - `npm ci` links the repository's node_modules, which `npm ci` installed from the same
 *   package-lock.json (with the dev dependencies that `npm prune --omit=dev` would remove: a
 *   missing production dependency is caught by the lock file, not here); the Prisma client that
 *   its postinstall generates into src/db/generated comes with the repository's src;
 * - `npm run build` runs the package's own build script (tsc) in the laid-out build stage, so
 *   it compiles only what the build stage copied.
 */
async function layOutImage(work: string): Promise<{ app: string; build: string; final: Stage }> {
  const stages = await readDockerfile(path.join(ROOT, 'Dockerfile'));
  const final = stages.at(-1) as Stage;
  const roots = new Map<string, string>();
  for (const [index, stage] of stages.entries()) {
    const root = path.join(work, `stage-${index}`);
    roots.set(stage.name ?? String(index), root);
    const workdir = workdirOf(stage);
    const here = path.join(root, workdir);
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'COPY') {
        const [copy] = copiesOf({ ...stage, instructions: [instruction] });
        if (!copy) continue;
        const from = copy.from === undefined ? undefined : roots.get(copy.from);
        if (copy.from !== undefined && !from) throw new Error(`COPY --from=${copy.from}: no such stage`);
        await applyCopy(copy, root, workdir, (source) => (from ? path.join(from, source) : path.join(ROOT, source)));
      } else if (instruction.keyword === 'RUN') {
        for (const command of instruction.args.split('&&').map((part) => part.trim())) await run(command, here);
      }
    }
  }
  return { app: path.join(roots.get(String(stages.length - 1)) ?? '', workdirOf(final)), build: path.join(roots.get(stages[0]?.name ?? '0') ?? '', workdirOf(stages[0] as Stage)), final };
}

async function run(command: string, cwd: string): Promise<void> {
  if (command.startsWith('npm ci')) {
    await symlink(path.join(ROOT, 'node_modules'), path.join(cwd, 'node_modules'));
  } else if (command === 'npm run build') {
    const scripts = (JSON.parse(await readFile(path.join(cwd, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const [tool, ...args] = (scripts.build ?? '').split(/\s+/);
    expect(tool).toBe('tsc');
    await promisify(execFile)(process.execPath, [path.join(cwd, 'node_modules/typescript/bin/tsc'), ...args], { cwd });
  } else if (!command.startsWith('npm prune --omit=dev')) {
    throw new Error(`Dockerfile: RUN ${command} is not understood by this test; teach it what the command does`);
  }
}

/** docker-compose.yml's environment for the bot, with `${VAR:-default}` and `${VAR:?message}` filled from a .env. */
async function composeEnvironment(dotEnv: Record<string, string>): Promise<Record<string, string>> {
  const compose = parseYaml(await readFile(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: { bot: { environment: Record<string, string> } } };
  return Object.fromEntries(
    Object.entries(compose.services.bot.environment).map(([name, value]) => [
      name,
      String(value).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_match, variable: string, kind?: string, rest?: string) => {
        const given = dotEnv[variable];
        if (given !== undefined && given !== '') return given;
        if (kind === '?') throw new Error(`compose refuses: ${variable} ${rest}`);
        return kind === '-' ? (rest ?? '') : '';
      }),
    ]),
  );
}

describe('the Docker image', () => {
  let work: string;
  let image: Awaited<ReturnType<typeof layOutImage>>;
  let slack: FakeSlack;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'image-'));
    [image, slack, database] = await Promise.all([layOutImage(work), startFakeSlack(), createTestDatabase()]);
  }, 120_000);
  afterAll(async () => {
    await slack?.close();
    await database?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('copies nothing that .dockerignore keeps out of the build context', async () => {
    const ignored = (await readFile(path.join(ROOT, '.dockerignore'), 'utf8')).split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
    const stages = await readDockerfile(path.join(ROOT, 'Dockerfile'));
    const sources = stages.flatMap((stage) => copiesOf(stage).filter((copy) => copy.from === undefined).flatMap((copy) => copy.sources));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      const excluded = ignored.filter((pattern) => (pattern.startsWith('*') ? source.endsWith(pattern.slice(1)) : source === pattern || source.startsWith(`${pattern}/`)));
      expect(excluded, source).toEqual([]);
    }
  });

  it('is built on a maintained Node LTS, and runs node itself with a health check and a restart policy', async () => {
    const stages = await readDockerfile(path.join(ROOT, 'Dockerfile'));
    for (const stage of stages) expect(stage.image).toMatch(/^node:(22|24)[-.\w]*slim$/);
    const cmd = image.final.instructions.filter((instruction) => instruction.keyword === 'CMD').at(-1)?.args;
    expect(JSON.parse(cmd ?? '[]')).toEqual(['node', 'dist/src/main.js']);
    const compose = parseYaml(await readFile(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: { bot: { healthcheck?: { test: string[] }; restart?: string } } };
    expect(compose.services.bot.restart).toBe('unless-stopped');
    expect(compose.services.bot.healthcheck?.test.join(' ')).toContain('/health');
  });

  it('runs compose in production unless asked otherwise, and never copies a host-generated Prisma client', async () => {
    const compose = parseYaml(await readFile(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: { bot: { environment: Record<string, string> } } };
    expect(compose.services.bot.environment.NODE_ENV).toBe('${NODE_ENV:-production}');
    expect(compose.services.bot.environment.SLACK_MODE).toBe('${SLACK_MODE:-}');
    const ignored = (await readFile(path.join(ROOT, '.dockerignore'), 'utf8')).split('\n').map((line) => line.trim());
    expect(ignored).toContain('src/db/generated');
  });

  it('starts from exactly what the image holds, with its config file and runbooks, and answers /health', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const composeEnv = await composeEnvironment({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    // The image's environment and compose's, with the services' addresses of this machine.
    const env = { PATH: process.env.PATH ?? '', ...envOf(image.final), ...composeEnv, DATABASE_URL: database.url, REDIS_URL, SLACK_API_URL: slack.url, PORT: String(port), HOST: '127.0.0.1' };
    const cmd = JSON.parse(image.final.instructions.filter((instruction) => instruction.keyword === 'CMD').at(-1)?.args ?? '[]') as string[];
    const child = spawn(cmd[0] === 'node' ? process.execPath : (cmd[0] ?? ''), cmd.slice(1), { cwd: image.app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const healthy = waitFor(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
          const body = response?.status === 200 ? ((await response.json()) as { status: string; dependencies: Record<string, string> }) : undefined;
          // Redis may still be connecting at the first answer.
          return body?.status === 'healthy' ? body : undefined;
        },
        { what: 'the image answering /health', timeoutMs: 20_000 },
      );
      const ended = exited.then((code) => {
        throw new Error(`the bot exited with ${code}:\n${output}`);
      });
      const health = await Promise.race([healthy, ended]);
      expect(health).toMatchObject({ status: 'healthy', dependencies: { database: 'up', redis: 'up', slack: 'up' } });
      // The shipped config file is in the image: every shipped runbook action has its target.
      expect(output).toContain('configuration and runbooks loaded');
      expect(output).not.toContain('left out because the config file does not define');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });

  it('stops node when npm start is sent SIGTERM, as a process manager does', { timeout: 60_000 }, async () => {
    const port = await freePort();
    // The build stage holds package.json and its build; --ignore-scripts skips the prestart build.
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, REDIS_URL, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, PORT: String(port), HOST: '127.0.0.1', RUNBOOKS_DIR, CONFIG_FILE: SHIPPED_CONFIG };
    const npm = spawn('npm', ['start', '--ignore-scripts', '--silent'], { cwd: image.build, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', resolve));
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200, { what: 'npm start serving', timeoutMs: 30_000 });
    npm.kill('SIGTERM');
    await exited;
    // node itself shut down cleanly, rather than being left running without npm.
    await waitFor(() => output.includes('"msg":"stopped"'), { what: 'node stopped', timeoutMs: 30_000 });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`).then(() => false, () => true)), { what: 'nothing listening any more' });
  });
});
