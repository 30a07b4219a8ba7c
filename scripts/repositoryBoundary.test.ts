import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findEscapes, repositoryFiles } from './repositoryBoundary';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

describe('the repository stands alone', () => {
  it('no file reads, imports, extends or links a path above the repository root', () => {
    // This file's own examples below escape on purpose.
    const files = repositoryFiles(root).filter((f) => f !== 'scripts/repositoryBoundary.test.ts');
    expect(files.length).toBeGreaterThan(100);
    expect(findEscapes(root, files)).toEqual([]);
  });

  it('keeps the notification fixtures inside the repository, each with its source', () => {
    const fixtures = repositoryFiles(root).filter((f) => f.startsWith('fixtures/notifications/'));
    const json = fixtures.filter((f) => f.endsWith('.json'));
    expect(json.length).toBeGreaterThan(10);
    for (const file of json) expect(fixtures).toContain(file.replace(/\.json$/, '.source.txt'));
  });

  describe('the check itself', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'callgate-boundary-'));
    const write = (file: string, text: string) => {
      mkdirSync(join(scratch, file, '..'), { recursive: true });
      writeFileSync(join(scratch, file), text);
    };
    write(
      'pkg/src/a.ts',
      "import x from '../../../outside/x';\nconst ok = new URL('../b.ts', import.meta.url);\n",
    );
    write(
      'pkg/test/b.ts',
      "const u = new URL('../../../../outside/fixtures/', import.meta.url);\n",
    );
    write('pkg/tsconfig.json', '{ "extends": "../../tsconfig.base.json" }\n');
    write('pkg/package.json', '{ "dependencies": { "x": "file:../../x" } }\n');
    write(
      'pkg/README.md',
      '[root](../README.md) [gone](../../README.md) [web](https://x.test/../y)\n',
    );
    write('scripts/run.sh', 'cd ../elsewhere && cd ../../elsewhere\n');

    const escapes = findEscapes(scratch, [
      'pkg/src/a.ts',
      'pkg/test/b.ts',
      'pkg/tsconfig.json',
      'pkg/package.json',
      'pkg/README.md',
      'scripts/run.sh',
    ]);

    it('finds imports, URLs, extends, file: specifiers, Markdown links and shell paths above the root', () => {
      expect(escapes.map((e) => `${e.file}:${e.line} ${e.written}`)).toEqual([
        'pkg/src/a.ts:1 ../../../outside/x',
        'pkg/test/b.ts:1 ../../../../outside/fixtures/',
        'pkg/tsconfig.json:1 ../../tsconfig.base.json',
        'pkg/package.json:1 ../../x',
        'pkg/README.md:1 ../../README.md',
        'scripts/run.sh:1 ../../elsewhere',
      ]);
    });
  });
});
