import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/run.ts',
    'src/reliability.ts',
    'src/server.ts',
    'src/load.ts',
    'src/memory.ts',
    'src/tracking.ts',
    'src/profileSummary.ts',
  ],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.json',
});
