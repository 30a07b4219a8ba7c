import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// What a user runs — the published packages, the demo bot and the examples —
// must install on every Node the root `engines` claims: no dependency of
// theirs, however deep, may require a newer Node (e.g. @azure/core-* ≥ 1.11
// need Node 22; pnpm-workspace.yaml pins the Node 20 releases).

const root = fileURLToPath(new URL('..', import.meta.url));
const claimed = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    engines: { node: string };
  }
).engines.node;
const runnable = [
  'packages/core',
  'packages/calls',
  'packages/express',
  'packages/koa',
  'packages/node',
  'packages/emulator',
  'apps/demo-bot',
  'examples',
];

interface Manifest {
  name: string;
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const read = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Every package a workspace package needs at run time, with its `engines.node`. */
function runtimeTree(start: string): Map<string, string | undefined> {
  const seen = new Map<string, string | undefined>();
  const visit = (dir: string) => {
    const manifest = read(dir);
    const names = {
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
    };
    for (const name of Object.keys(names)) {
      let depDir: string;
      try {
        depDir = realpathSync(join(dir, 'node_modules', name));
      } catch {
        // pnpm links a package's dependencies beside it: <store>/node_modules/<dep>.
        try {
          const up = manifest.name.split('/').map(() => '..');
          depDir = realpathSync(join(dir, ...up, name));
        } catch {
          continue; // an optional dependency not installed on this platform
        }
      }
      const dep = read(depDir);
      const key = `${dep.name}@${dep.version}`;
      if (seen.has(key)) continue;
      seen.set(key, dep.engines?.node);
      visit(depDir);
    }
  };
  visit(join(root, start));
  return seen;
}

describe('engines', () => {
  it('the root claims a Node range', () => {
    expect(semver.validRange(claimed)).not.toBeNull();
  });

  it.each(runnable)('%s: every run-time dependency supports every Node the root claims', (dir) => {
    const tree = runtimeTree(dir);
    const tooNew = [...tree]
      .filter(([, range]) => range !== undefined && !semver.subset(claimed, range))
      .map(([pkg, range]) => `${pkg} needs node ${range}`);
    expect(tooNew).toEqual([]);
  });

  it('walks the whole tree: the demo bot reaches @azure/identity and its @azure/core-* dependencies', () => {
    const names = [...runtimeTree('apps/demo-bot').keys()];
    expect(names).toContain('@azure/identity@4.13.1');
    expect(names.some((name) => name.startsWith('@azure/core-rest-pipeline@'))).toBe(true);
  });

  it('notices a dependency that needs a newer Node', () => {
    expect(semver.subset(claimed, '>=22.0.0')).toBe(false);
    expect(semver.subset(claimed, '>=20.0.0')).toBe(true);
  });
});
