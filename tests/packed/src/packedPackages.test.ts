import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// What users install is the packed tarball, not the working tree: pack each
// package, unpack it into a scratch consumer's node_modules, and load it the
// two ways users do (require and import), on the lowest Node the packages
// claim (`engines`), and on Node 22 and 24. The Node binaries are this
// package's devDependencies (the npm `node` package): nothing is downloaded here.

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const work = resolve(here, '../.work');
const consumer = join(work, 'consumer');
/** Every published package (not `private`) under packages/. */
const packages = readdirSync(join(root, 'packages')).filter(
  (name) =>
    JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')).private !== true,
);
const fixture = join(root, 'fixtures/notifications/graph-incoming-call-p2p.json');

const nodeBinary = (alias: string) => join(here, '..', 'node_modules', alias, 'bin', 'node');
// Node 20.11 has no process.getBuiltinModule: its tokens are checked by WebCrypto, the others' by node:crypto.
const runtimes = [
  { alias: 'node-20-11', version: 'v20.11.1', signatureCheck: 'webcrypto' },
  { alias: 'node-22', version: 'v22.', signatureCheck: 'node:crypto' },
  { alias: 'node-24', version: 'v24.', signatureCheck: 'node:crypto' },
];

/** The real directory of a dependency as installed in the workspace (pnpm symlinks resolved). */
function installed(from: string, name: string): string {
  return realpathSync(join(root, from, 'node_modules', name));
}

function link(target: string, name: string): void {
  const path = join(consumer, 'node_modules', name);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, 'dir');
}

beforeAll(() => {
  for (const name of packages) {
    if (!existsSync(join(root, 'packages', name, 'dist', 'index.cjs')))
      throw new Error(`packages/${name} is not built: run \`npx -y pnpm@10.34.9 build\` first`);
  }
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'tarballs'), { recursive: true });
  for (const name of packages) {
    execFileSync('npm', ['pack', '--silent', '--pack-destination', join(work, 'tarballs')], {
      cwd: join(root, 'packages', name),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  for (const tarball of readdirSync(join(work, 'tarballs'))) {
    const name = /^callgate-(\w+)-/.exec(tarball)?.[1];
    const target = join(consumer, 'node_modules', '@callgate', name ?? tarball);
    mkdirSync(target, { recursive: true });
    execFileSync('tar', [
      '-xzf',
      join(work, 'tarballs', tarball),
      '-C',
      target,
      '--strip-components=1',
    ]);
  }
  // Runtime dependencies and the types a TypeScript user has, as the workspace installed them.
  link(installed('packages/core', 'jose'), 'jose');
  link(installed('packages/core', 'zod'), 'zod');
  link(installed('.', '@types/node'), '@types/node');
  link(installed('packages/express', '@types/express'), '@types/express');
  link(installed('packages/koa', '@types/koa'), '@types/koa');
  link(installed('packages/opentelemetry', '@opentelemetry/api'), '@opentelemetry/api');
  for (const file of readdirSync(join(here, '..', 'consumers')))
    copyFileSync(join(here, '..', 'consumers', file), join(consumer, file));
}, 120_000);

describe('the packed packages', () => {
  it('ship no require() of an ESM-only dependency in their CommonJS builds', () => {
    for (const name of packages) {
      const dist = join(consumer, 'node_modules', '@callgate', name, 'dist');
      for (const file of readdirSync(dist).filter((f) => f.endsWith('.cjs'))) {
        expect(readFileSync(join(dist, file), 'utf8'), `${name}/dist/${file}`).not.toMatch(
          /require\(["']jose["']\)/,
        );
      }
      const types = readFileSync(join(dist, 'index.d.cts'), 'utf8');
      expect(types, `${name}/dist/index.d.cts`).not.toMatch(
        /from ['"]jose['"]|import\(['"]jose['"]\)/,
      );
    }
  });

  it('claim the Node the tests run as the lowest: engines >=20.11', () => {
    for (const name of packages) {
      const manifest = JSON.parse(
        readFileSync(join(consumer, 'node_modules', '@callgate', name, 'package.json'), 'utf8'),
      );
      expect(manifest.engines, name).toEqual({ node: '>=20.11' });
    }
  });

  describe.each(runtimes)('on $alias', ({ alias, version, signatureCheck }) => {
    it.each(['smoke.cjs', 'smoke.mjs'])(
      '%s: loads every package and verifies real tokens (jose inside)',
      (script) => {
        const binary = nodeBinary(alias);
        expect(existsSync(binary), `${binary} (installed by \`pnpm install\`)`).toBe(true);
        const output = execFileSync(binary, [script, fixture], {
          cwd: consumer,
          encoding: 'utf8',
          timeout: 60_000,
        });
        const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}');
        expect(result.node.startsWith(version)).toBe(true);
        expect(result.statuses).toEqual({
          get: 405,
          noToken: 401,
          forged: 401,
          valid: 202,
          aad: 202,
        });
        expect(result.seen).toEqual(['incomingCall', 'incomingCall']);
        expect(result.adapters).toBe('function,function,function,function');
        expect(result.callsClient).toBe('function');
        expect(result.plugins).toBe('function,function');
        expect(result.signature).toEqual({ check: signatureCheck, count: 1 });
      },
      90_000,
    );
  });

  it('typecheck for TypeScript users, CommonJS and ESM (module node16, skipLibCheck false, strict)', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(consumer, 'tsconfig.json')], {
        cwd: consumer,
        encoding: 'utf8',
        timeout: 120_000,
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 150_000);
});
