#!/usr/bin/env node
/**
 * `pnpm test:mutants [--only=ID,ID]`: a small mutation check. Each mutant is a
 * one-line change that breaks a promised behaviour; it is applied to a
 * temporary copy of the repository (never to the tree the tests read), the
 * tests named for it run there, and they must fail. Exits 1 if any mutant
 * survives, or if a mutant no longer applies (its line changed: update it).
 *
 * The copy holds the working tree's files (tracked and new, not ignored) and
 * symlinks to this checkout's node_modules, so no install runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** @type {{ id: string, why: string, file: string, find: string, replace: string, tests: string[] }[]} */
export const MUTANTS = [
  {
    id: 'stale-if-error-off',
    why: 'a failed refresh no longer serves the last good keys (issue 18.1)',
    file: 'packages/core/src/auth/RefreshingValue.ts',
    find: 'time - this.#loadedAt <= policy.refreshIntervalMs + policy.maxStaleMs',
    replace: 'time - this.#loadedAt <= policy.refreshIntervalMs',
    tests: ['bench/test/faults.test.ts'],
  },
  {
    id: 'cooldown-ignored',
    why: 'every request refetches the keys of a failing endpoint (issue 18.9, cold cache)',
    file: 'packages/core/src/auth/RefreshingValue.ts',
    find: 'if (this.#inflight === undefined && time - this.#attemptedAt < policy.cooldownMs) {',
    replace: 'if (false) {',
    tests: ['bench/test/faults.test.ts'],
  },
  {
    id: 'key-fetch-follows-redirects',
    why: "metadata and key requests follow redirects (redirect: 'follow') (issue 18.2)",
    file: 'packages/core/src/auth/fetchJson.ts',
    find: "redirect: 'error',",
    replace: "redirect: 'follow',",
    tests: ['packages/core/src/auth/keyCache.test.ts'],
  },
  {
    id: 'redirected-answer-accepted',
    why: 'a redirected answer from a fetch that follows redirects is used (issue 18.2)',
    file: 'packages/core/src/auth/fetchJson.ts',
    find: 'if (wasRedirected(response, url)) {',
    replace: 'if (false) {',
    tests: ['packages/core/src/auth/keyCache.test.ts'],
  },
  {
    id: 'rs256-pin-widened',
    why: 'the second RS256 pin (after the header pre-check) accepts other algorithms (issue 18.3)',
    file: 'packages/core/src/auth/verifySignedClaims.ts',
    find: "if (header.alg !== 'RS256') throw fail(",
    replace: "if (!['RS256', 'RS384', 'PS256', 'HS256'].includes(String(header.alg))) throw fail(",
    tests: ['packages/core/src/auth/verifySignedClaims.test.ts'],
  },
  {
    id: 'signature-not-checked',
    why: 'the RS256 signature is not checked (issue 17: callgate checks it itself now)',
    file: 'packages/core/src/auth/verifySignedClaims.ts',
    find: 'if (!(await key.verifySignature(',
    replace: 'if (false && !(await key.verifySignature(',
    tests: ['packages/core/src/auth/verifySignedClaims.differential.test.ts'],
  },
  {
    id: 'expiry-boundary-moved',
    why: 'a token expired exactly at the tolerance edge is accepted, unlike jose (issue 17)',
    file: 'packages/core/src/auth/verifySignedClaims.ts',
    find: '(payload.exp as number) <= now - tolerance',
    replace: '(payload.exp as number) < now - tolerance',
    tests: ['packages/core/src/auth/verifySignedClaims.test.ts'],
  },
  {
    id: 'node-crypto-wrong-hash',
    why: 'the node:crypto check uses another hash than RS256 names (issue 17)',
    file: 'packages/core/src/auth/rs256.ts',
    find: "'sha256',",
    replace: "'sha384',",
    tests: ['packages/core/src/auth/verifySignedClaims.test.ts'],
  },
  {
    id: 'cache-vouches-for-any-scheme',
    why: "the token cache's fast path skips the Bearer scheme check (issue 17)",
    file: 'packages/core/src/auth/readBearerToken.ts',
    find: 'if (isKnown !== undefined && BEARER_PREFIX.test(value) && ',
    replace: 'if (isKnown !== undefined && ',
    tests: ['packages/core/src/auth/readBearerToken.test.ts'],
  },
  {
    id: 'header-precheck-removed',
    why: 'the header is no longer checked for RS256 before a key is looked up (issue 18.3)',
    file: 'packages/core/src/auth/createTokenVerifier.ts',
    find: "if (header.alg !== 'RS256') {",
    replace: 'if (false) {',
    tests: ['packages/core/src/auth/attacks.test.ts'],
  },
  {
    id: 'node-adapter-buffers-body',
    why: 'the node adapter reads the whole body before handle (issue 18.8)',
    file: 'packages/node/src/createNodeHandler.ts',
    find: 'toWebhookRequest(req, nodeRequestBody(req)),',
    replace: 'toWebhookRequest(req, await readNodeBody(req, 64 * 1024 * 1024).catch(() => "")),',
    prepend: "import { readNodeBody } from './readNodeBody';\n",
    tests: ['packages/node/src/createNodeHandler.test.ts'],
  },
  {
    id: 'node-read-limit-x1024',
    why: 'the node body reader stops at 1024 times its limit (issue 18.8)',
    file: 'packages/node/src/readNodeBody.ts',
    find: 'if (received > maxBytes) {',
    replace: 'if (received > maxBytes * 1024) {',
    tests: ['packages/node/src/createNodeHandler.test.ts'],
  },
  {
    id: 'http-bench-ignores-statuses',
    why: 'the HTTP bench counts a route that answers 401 fast (issue 18.7)',
    file: 'bench/src/httpBench.ts',
    find: "if (status !== '202' && count > 0) problems.push(",
    replace: 'if (false) problems.push(',
    tests: ['bench/test/httpChecks.test.ts'],
  },
  {
    id: 'handler-timeout-code',
    why: 'awaitHandlers reports a timeout as handler_failed (issue 18.9)',
    file: 'packages/core/src/webhook/createCallWebhook.ts',
    find: "'handler_timeout',",
    replace: "'handler_failed',",
    tests: ['bench/test/faults.test.ts'],
  },
];

function copyTree() {
  const dir = mkdtempSync(join(tmpdir(), 'callgate-mutants-'));
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  for (const project of ['.', ...projectDirs()]) {
    const modules = join(root, project, 'node_modules');
    if (existsSync(modules)) symlinkSync(modules, join(dir, project, 'node_modules'), 'dir');
  }
  return dir;
}

function projectDirs() {
  return ['packages', 'apps']
    .flatMap((parent) =>
      execFileSync('ls', [join(root, parent)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((name) => `${parent}/${name}`),
    )
    .concat(['bench']);
}

const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const chosen = MUTANTS.filter((m) => only === undefined || only.includes(m.id));
const dir = copyTree();
const survivors = [];
try {
  for (const mutant of chosen) {
    const path = join(dir, mutant.file);
    const original = readFileSync(path, 'utf8');
    const at = original.indexOf(mutant.find);
    if (at === -1 || original.indexOf(mutant.find, at + 1) !== -1) {
      survivors.push(
        `${mutant.id}: its line is not in ${mutant.file} exactly once (update the mutant)`,
      );
      continue;
    }
    writeFileSync(path, (mutant.prepend ?? '') + original.replace(mutant.find, mutant.replace));
    const started = Date.now();
    const run = spawnSync('npx', ['vitest', 'run', '--reporter=dot', ...mutant.tests], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    writeFileSync(path, original);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const killed = run.status !== 0 && /Tests\s+.*\d+ failed/.test(run.stdout + run.stderr);
    process.stdout.write(
      `${killed ? 'killed  ' : 'SURVIVED'} ${mutant.id} (${seconds} s): ${mutant.why}\n`,
    );
    if (killed) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
      const plain = (run.stdout + run.stderr).replace(/\x1b\[[0-9;]*m/g, '');
      const failed = [...new Set(plain.split('\n').filter((l) => /^\s*FAIL\s/.test(l)))];
      for (const line of failed.slice(0, 3))
        process.stdout.write(`    by ${line.trim().slice(5)}\n`);
      if (failed.length > 3) process.stdout.write(`    ... and ${failed.length - 3} more\n`);
    }
    if (!killed) {
      survivors.push(
        `${mutant.id}: ${mutant.tests.join(' ')} still pass (or did not run: exit ${run.status})`,
      );
      if (run.status !== 0) process.stdout.write(`${run.stdout}\n${run.stderr}\n`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (survivors.length > 0) {
  process.stdout.write(
    `\n${survivors.length} mutant(s) not caught:\n- ${survivors.join('\n- ')}\n`,
  );
  process.exitCode = 1;
} else {
  process.stdout.write(`\nall ${chosen.length} mutants caught\n`);
}
