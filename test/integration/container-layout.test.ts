/**
 * The container images without a Docker engine (this machine has none): each target's file
 * layout is assembled on disk from `infra/Dockerfile`'s own COPY lines, then the API, the portal
 * and a load run from that layout alone, and the images' HEALTHCHECK commands are run against
 * them. A file the Dockerfile forgets to copy (a .sql file, the CLI's bin) fails here.
 *
 * What this cannot show: the base image, apt packages, the `node` user's permissions and
 * `npm prune --omit=dev`. For the last, every package the built code imports must be in the
 * production dependency tree of the workspaces (checked below), or the prune would drop it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiNodeFlags, ROOT, startStack, type Stack } from '../support/stack.js';

const DOCKERFILE = path.join(ROOT, 'infra/Dockerfile');
const WORKSPACES = ['packages/metrics', 'packages/etl', 'apps/api', 'apps/portal'];

interface Stage {
  name: string;
  from: string;
  /** COPY --from=build: a path in the build stage's /app → a path in this image. */
  copies: { source: string; target: string; fromContext: boolean }[];
  env: Record<string, string>;
  healthcheck: string[] | null;
  cmd: string[] | null;
}

/** The stages of the Dockerfile, with continuation lines joined. */
function parseDockerfile(text: string): Map<string, Stage> {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages = new Map<string, Stage>();
  let stage: Stage | null = null;
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instruction?.toUpperCase()) {
      case 'FROM': {
        const m = /^(\S+)\s+AS\s+(\S+)$/i.exec(args);
        if (!m) throw new Error(`Unnamed stage in infra/Dockerfile: ${line}`);
        stage = { name: m[2]!, from: m[1]!, copies: [], env: {}, healthcheck: null, cmd: null };
        stages.set(stage.name, stage);
        break;
      }
      case 'COPY': {
        const words = args.split(/\s+/);
        const fromBuild = words.includes('--from=build');
        const paths = words.filter((w) => !w.startsWith('--'));
        const target = paths.pop()!;
        for (const source of paths) stage!.copies.push({ source, target, fromContext: !fromBuild });
        break;
      }
      case 'ENV':
        for (const m of args.matchAll(/(\w+)=(\S+)/g)) stage!.env[m[1]!] = m[2]!;
        break;
      case 'HEALTHCHECK':
        stage!.healthcheck = JSON.parse(args.slice(args.indexOf('CMD') + 3).trim()) as string[];
        break;
      case 'CMD':
        stage!.cmd = JSON.parse(args) as string[];
        break;
      default:
        break;
    }
  }
  return stages;
}

/** A target's stage and the stages it is built on, base first. */
function chain(stages: Map<string, Stage>, target: string): Stage[] {
  const out: Stage[] = [];
  for (let s = stages.get(target); s; s = stages.get(s.from)) out.unshift(s);
  return out;
}

/**
 * Lays out a target's /app: what its COPY lines take from the build stage (the built repository),
 * relative to WORKDIR /app. node_modules is the repository's, linked entry by entry, except the
 * workspace packages, which point into the assembled tree (as npm's links do in the image).
 */
function assemble(stages: Map<string, Stage>, target: string, into: string): void {
  for (const stage of chain(stages, target)) {
    for (const { source, target: dest, fromContext } of stage.copies) {
      if (fromContext || !source.startsWith('/app/')) continue; // scripts outside /app: checked below
      const rel = source.slice('/app/'.length);
      const destPath = path.join(into, dest.endsWith('/') ? path.join(dest, path.basename(rel)) : dest);
      if (rel === 'node_modules') {
        if (existsSync(destPath)) continue; // laid out for an earlier target
        mkdirSync(destPath, { recursive: true });
        for (const entry of readdirSync(path.join(ROOT, 'node_modules'))) {
          if (entry === '@rollbook' || entry === '.bin') continue;
          symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(destPath, entry));
        }
        mkdirSync(path.join(destPath, '@rollbook'));
        for (const [name, dir] of [['metrics', 'packages/metrics'], ['etl', 'packages/etl'], ['api', 'apps/api'], ['portal', 'apps/portal']]) {
          symlinkSync(path.join(into, dir!), path.join(destPath, '@rollbook', name!));
        }
        continue;
      }
      // A workspace's own node_modules exists only when npm nested something there; the build
      // stage makes every one (mkdir -p), so an absent one is an empty folder in the image.
      if (/^(packages|apps)\/[^/]+\/node_modules$/.test(rel) && !existsSync(path.join(ROOT, rel))) {
        mkdirSync(destPath, { recursive: true });
        continue;
      }
      expect(existsSync(path.join(ROOT, rel)), `${target}: COPY --from=build ${source} (run npm run build first)`).toBe(true);
      mkdirSync(path.dirname(destPath), { recursive: true });
      cpSync(path.join(ROOT, rel), destPath, { recursive: true });
    }
  }
}

/** Every file below `dir` ending with one of `endings`. */
function filesBelow(dir: string, endings: string[]): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => endings.some((e) => f.endsWith(e)) && statSync(f).isFile());
}

/** The package a bare import names (`@scope/name/sub` → `@scope/name`), or null for builtins and relative paths. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || specifier.startsWith('#')) return null;
  if (builtinModules.includes(specifier.split('/')[0]!)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** The packages `npm prune --omit=dev` keeps: the workspaces' dependencies, with theirs, transitively. */
function productionTree(): Set<string> {
  const keep = new Set<string>();
  const visit = (name: string, from: string): void => {
    if (keep.has(name)) return;
    // Resolve as Node would from the depending package's folder, up to the root node_modules.
    let dir = from;
    let manifest: string | null = null;
    for (;;) {
      const candidate = path.join(dir, 'node_modules', name, 'package.json');
      if (existsSync(candidate)) {
        manifest = candidate;
        break;
      }
      if (dir === ROOT || dir === path.dirname(dir)) break;
      dir = path.dirname(dir);
    }
    if (!manifest) return; // an optional dependency for another platform
    keep.add(name);
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, path.dirname(manifest));
  };
  for (const workspace of WORKSPACES) {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, workspace, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, path.join(ROOT, workspace));
  }
  return keep;
}

const stages = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));

describe('infra/Dockerfile', () => {
  it('has the three targets, each with a command and a health check, running as the unprivileged node user', () => {
    for (const target of ['api', 'portal', 'etl']) {
      const stage = stages.get(target);
      expect(stage, target).toBeDefined();
      expect(stage!.cmd, `${target} CMD`).not.toBeNull();
      expect(stage!.healthcheck, `${target} HEALTHCHECK`).not.toBeNull();
      expect(chain(stages, target).map((s) => s.name)).toContain('runtime');
    }
    expect(readFileSync(DOCKERFILE, 'utf8')).toMatch(/^USER node$/m);
  });

  it('copies only what exists in the context, and nothing the build stage drops', () => {
    for (const stage of stages.values()) {
      for (const copy of stage.copies.filter((c) => c.fromContext)) {
        expect(existsSync(path.join(ROOT, copy.source)), `${stage.name}: COPY ${copy.source}`).toBe(true);
      }
    }
  });

  it('keeps every package the built code imports through npm prune --omit=dev', () => {
    const keep = productionTree();
    const built = [
      ...['packages/metrics/dist', 'packages/etl/dist', 'packages/etl/bin', 'apps/api/dist'].flatMap((d) => filesBelow(path.join(ROOT, d), ['.js', '.mjs'])),
      // adapter-node bundles the portal's dev dependencies; its server imports the rest at run time.
      ...filesBelow(path.join(ROOT, 'apps/portal/build/server'), ['.js']),
      path.join(ROOT, 'apps/portal/build/index.js'),
      path.join(ROOT, 'apps/portal/build/handler.js'),
    ].filter((f) => existsSync(f));
    expect(built.length, 'npm run build first').toBeGreaterThan(50);
    const missing = new Map<string, string>();
    // Static imports start a line in compiled and bundled output; a dynamic one is awaited. (JSDoc
    // types such as {import('polka').Middleware} are neither.)
    const importPattern = /^(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|\bawait import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm;
    for (const file of built) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importPattern)) {
        const name = packageOf(m[1] ?? m[2] ?? m[3]!);
        if (name && !name.startsWith('@rollbook/') && !keep.has(name)) missing.set(name, path.relative(ROOT, file));
      }
    }
    expect(Object.fromEntries(missing), 'imported at run time but a dev dependency only: move it to "dependencies"').toEqual({});
  });
});

describe('the images\' file layout, run without Docker', () => {
  let image: string;
  let stack: Stack;

  beforeAll(async () => {
    image = mkdtempSync('/tmp/rollbook-image-');
    // One /app holding the api, portal and etl targets' files (they share the runtime stage).
    for (const target of ['api', 'portal', 'etl']) assemble(stages, target, path.join(image, 'app'));
    // The API's and portal's own files must not leak from the repository: nothing below links back.
    expect(existsSync(path.join(image, 'app/apps/api/src/modules'))).toBe(true);
    stack = await startStack({ data: { kind: 'demo', pupils: 300 }, appRoot: path.join(image, 'app'), timeoutMs: 240_000 });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    if (image) rmSync(image, { recursive: true, force: true });
  });

  it('loads returns with the etl image\'s CLI and serves them through the api image', async () => {
    const { laOverview } = await stack.graphql<{ laOverview: { enrolments: number | null } }>('{ laOverview { enrolments } }');
    expect(laOverview.enrolments).toBeGreaterThan(250);
  });

  it('passes the api and portal images\' own HEALTHCHECK commands', () => {
    const api = new URL(stack.apiUrl);
    const portal = new URL(stack.portalUrl!);
    for (const [target, env] of [
      ['api', { API_PORT: api.port }],
      ['portal', { PORT: portal.port }],
    ] as const) {
      const [command, ...args] = stages.get(target)!.healthcheck!;
      expect(command).toBe('node');
      // Throws (non-zero exit) when the check fails.
      execFileSync(process.execPath, args, { env: { ...process.env, ...env }, cwd: path.join(image, 'app'), timeout: 10_000 });
    }
  });

  it('starts the api from the image\'s CMD path and the portal from its own', () => {
    expect(stages.get('api')!.cmd).toEqual(['node', ...apiNodeFlags(), 'apps/api/dist/main.js']);
    expect(stages.get('portal')!.cmd).toEqual(['node', 'apps/portal/build/index.js']);
    expect(existsSync(path.join(image, 'app', stages.get('api')!.cmd!.at(-1)!))).toBe(true);
    expect(existsSync(path.join(image, 'app', stages.get('portal')!.cmd![1]!))).toBe(true);
  });
});
