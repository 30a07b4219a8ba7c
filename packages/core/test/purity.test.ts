import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// @callgate/core must run wherever fetch and WebCrypto exist (Workers, Deno,
// Bun, browsers' service workers), so its shipped code may not touch Node.
const root = new URL('..', import.meta.url).pathname;
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    // Tests and test support (`*.test.ts`, `*.test-support.ts`) may use Node.
    return entry.name.endsWith('.ts') && !entry.name.includes('.test') ? [path] : [];
  });
}

/** Module specifiers a file imports, exports from, requires or dynamically imports. */
function specifiersOf(code: string): string[] {
  const pattern =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  return [...code.matchAll(pattern)].map((match) => match[1] as string);
}

function nodeOnly(code: string): string[] {
  const found = specifiersOf(code).filter(
    (specifier) => specifier.startsWith('node:') || builtins.has(specifier),
  );
  for (const global of ['Buffer', 'process', '__dirname', 'setImmediate']) {
    if (
      new RegExp(`(?<![.\\w'"])${global}\\b(?!['"])`).test(
        code.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''),
      )
    ) {
      found.push(`global ${global}`);
    }
  }
  return found;
}

/**
 * Reaching a Node global on purpose: `auth/rs256.ts` asks
 * `globalThis.process?.getBuiltinModule` for node:crypto's synchronous RS256
 * check and uses WebCrypto when there is none (tested in verifySignedClaims.test.ts).
 */
const FEATURE_PROBES = ['src/auth/rs256.ts: global process'];

describe('@callgate/core purity', () => {
  it('finds the Node built-ins it looks for (the check itself works)', () => {
    expect(
      nodeOnly(`import { x } from 'node:fs';\nconst y = require("crypto");\nBuffer.from('a');`),
    ).toEqual(['node:fs', 'crypto', 'global Buffer']);
    expect(
      nodeOnly(`import { z } from 'zod';\n// Buffer in a comment\nconst s = 'process';`),
    ).toEqual([]);
  });

  it('imports nothing from node:* and uses no Node globals in its source', () => {
    const files = sourceFiles(join(root, 'src'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((file) =>
      nodeOnly(readFileSync(file, 'utf8'))
        .map((what) => `${relative(root, file)}: ${what}`)
        .filter((offence) => !FEATURE_PROBES.includes(offence)),
    );
    expect(offenders).toEqual([]);
  });

  it('probes for node:crypto in one place only, through globalThis, with a fallback', () => {
    const probe = readFileSync(join(root, 'src/auth/rs256.ts'), 'utf8');
    expect(probe).toMatch(/globalThis as \{ process\?: \{ getBuiltinModule\?/);
    expect(probe).toMatch(/return builtins === undefined \? webCryptoRs256/);
  });

  it('ships only jose and zod as runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['jose', 'zod']);
  });

  it('typechecks its source without Node types, so a Node global would not compile', () => {
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { types: string[] };
    };
    expect(tsconfig.compilerOptions.types).toEqual([]);
  });
});
