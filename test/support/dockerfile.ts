import { cp, lstat, mkdir, readFile, readlink, stat, symlink } from 'node:fs/promises';
import path from 'node:path';

/** One instruction of a Dockerfile stage: its keyword and the rest of the line. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Parses a Dockerfile into its stages (line continuations joined, comments dropped). */
export async function readDockerfile(file: string): Promise<Stage[]> {
  const text = (await readFile(file, 'utf8')).replace(/\\\r?\n/g, ' ');
  const stages: Stage[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [image = '', as, name] = args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${keyword} before FROM`);
    stage.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

export interface CopyInstruction {
  from: string | undefined;
  sources: string[];
  dest: string;
}

export function copiesOf(stage: Stage): CopyInstruction[] {
  return stage.instructions
    .filter((instruction) => instruction.keyword === 'COPY')
    .map((instruction) => {
      const words = instruction.args.split(/\s+/);
      const flags = words.filter((word) => word.startsWith('--'));
      const paths = words.filter((word) => !word.startsWith('--'));
      const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
      const unknown = flags.filter((flag) => !flag.startsWith('--from='));
      if (unknown.length > 0) throw new Error(`Dockerfile: COPY flags ${unknown.join(' ')} are not understood by this test; teach it`);
      return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
    });
}

/** The stage's ENV settings (`ENV KEY=value` form). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage.instructions.filter((candidate) => candidate.keyword === 'ENV')) {
    for (const pair of instruction.args.split(/\s+/)) {
      const at = pair.indexOf('=');
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

export function workdirOf(stage: Stage): string {
  return stage.instructions.filter((instruction) => instruction.keyword === 'WORKDIR').at(-1)?.args ?? '/';
}

/**
 * Does what one COPY does, with Docker's rules: a directory's contents go into the destination;
 * a file goes into a destination ending with `/` (or `.`) under its own name, else becomes it.
 * `resolveSource` maps a source path to a real path (the build context, or another stage's folder).
 */
export async function applyCopy(copy: CopyInstruction, root: string, workdir: string, resolveSource: (source: string) => string): Promise<void> {
  const destination = path.join(root, path.posix.isAbsolute(copy.dest) ? copy.dest : path.posix.join(workdir, copy.dest));
  const intoFolder = copy.dest.endsWith('/') || copy.dest === '.' || copy.sources.length > 1;
  for (const source of copy.sources) {
    const real = resolveSource(source);
    // node_modules is laid out as a link to the repository's (see the image test): kept a link.
    if ((await lstat(real)).isSymbolicLink()) {
      await mkdir(path.dirname(destination), { recursive: true });
      await symlink(await readlink(real), destination);
      continue;
    }
    const info = await stat(real);
    if (info.isDirectory()) {
      await mkdir(destination, { recursive: true });
      await cp(real, destination, { recursive: true, verbatimSymlinks: true });
    } else {
      const target = intoFolder ? path.join(destination, path.basename(source)) : destination;
      await mkdir(path.dirname(target), { recursive: true });
      await cp(real, target);
    }
  }
}
