#!/usr/bin/env node
// The `callgate-emulator` command. This file is committed (not built) so that
// installing the workspace can link it before anything is built; it runs the
// built CLI, and says how to build it when it is missing.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write(
    'callgate-emulator is not built yet. From the repository root, run it as\n' +
      '  npx -y pnpm@10.34.9 emulator <command>   (builds it, then runs it)\n' +
      'or build it once with: npx -y pnpm@10.34.9 build\n',
  );
  process.exitCode = 2;
}
