#!/usr/bin/env node
// `pnpm demo`: plays every emulator scenario against two deployments of the
// demo bot and exits 0 only if every scenario ended as expected.
import { runDemo } from './runDemo';

runDemo({ print: (line) => console.log(line) }).then(
  ({ passed }) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    console.error('the demo could not run:', error);
    process.exit(1);
  },
);
