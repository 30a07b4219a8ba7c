import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// @callgate/calls must run wherever fetch and WebCrypto exist (Workers, Deno,
// Bun), like the core: its shipped code may not touch Node.
const root = new URL('..', import.meta.url).pathname;
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.includes('.test') ? [path] : [];
  });
}

function nodeOnly(code: string): string[] {
  const pattern =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  const found = [...code.matchAll(pattern)]
    .map((match) => match[1] as string)
    .filter((specifier) => specifier.startsWith('node:') || builtins.has(specifier));
  const stripped = code.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
  for (const global of ['Buffer', 'process', '__dirname', 'setImmediate']) {
    if (new RegExp(`(?<![.\\w'"])${global}\\b(?!['"])`).test(stripped))
      found.push(`global ${global}`);
  }
  return found;
}

describe('@callgate/calls purity', () => {
  it('finds what it looks for (the check works)', () => {
    expect(nodeOnly(`import { x } from 'node:http';\nBuffer.from('a');`)).toEqual([
      'node:http',
      'global Buffer',
    ]);
  });

  it('imports nothing from node:* and uses no Node globals in its source', () => {
    const files = sourceFiles(join(root, 'src'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((file) =>
      nodeOnly(readFileSync(file, 'utf8')).map((what) => `${relative(root, file)}: ${what}`),
    );
    expect(offenders).toEqual([]);
  });

  it('depends at run time on @callgate/core and zod only (no @azure package)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@callgate/core', 'zod']);
    expect(Object.keys(pkg.peerDependencies ?? {})).toEqual([]);
  });

  it('typechecks its source without Node types', () => {
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { types: string[] };
    };
    expect(tsconfig.compilerOptions.types).toEqual([]);
  });
});
