#!/usr/bin/env node
// Packs the package in the current directory exactly as it would be published,
// then runs publint and @arethetypeswrong/cli on that tarball (not on the
// working tree), so what we check is what users install.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'callgate-pack-'));
try {
  execFileSync('npm', ['pack', '--silent', '--pack-destination', out], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  const path = join(out, tarball);
  execFileSync('publint', ['run', path, '--strict'], { stdio: 'inherit' });
  execFileSync('attw', [path, '--profile', 'node16', '--format', 'table-flipped'], {
    stdio: 'inherit',
  });
} finally {
  rmSync(out, { recursive: true, force: true });
}
