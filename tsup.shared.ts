import type { Options } from 'tsup';

/**
 * ESM-only dependencies (jose 6) that the CommonJS build bundles: `require()`
 * of an ES module needs Node 20.19 / 22.12, and `engines` promises 20.11. The
 * ESM build keeps them external (shared, deduplicated by the package manager).
 */
export const esmOnlyDependencies = ['jose'];

const common = {
  entry: ['src/index.ts'],
  dts: true,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.json',
} satisfies Options;

/**
 * The build every published @callgate package shares: ESM and CJS with type
 * declarations, Node 20 syntax; dependencies external, except that the CJS
 * build bundles {@link esmOnlyDependencies}. Pass overrides (entry, dts) once;
 * they apply to both formats.
 */
export function libraryBuilds(overrides: Options = {}): Options[] {
  return [
    { ...common, ...overrides, format: ['esm'], clean: true },
    { ...common, ...overrides, format: ['cjs'], noExternal: esmOnlyDependencies },
  ];
}

/**
 * The former single-object build (ESM + CJS, every dependency external), kept
 * so that a package still spreading it builds; it is right only for packages
 * without an ESM-only dependency. Prefer {@link libraryBuilds}.
 */
export const libraryBuild = {
  ...common,
  format: ['esm', 'cjs'],
  clean: true,
} satisfies Options;
