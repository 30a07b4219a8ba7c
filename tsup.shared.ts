import type { Options } from 'tsup';

/**
 * The build every published @callgate package shares: ESM + CJS with type
 * declarations, dependencies left external (tsup's default), Node 20 syntax.
 */
export const libraryBuild = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.json',
} satisfies Options;
