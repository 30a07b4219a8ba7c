import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKED_READMES, checkReadme, syncReadme } from './readmeExamples.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

describe('every README example is a file CI typechecks and runs (examples/src)', () => {
  it.each(CHECKED_READMES)(
    '%s: each code block is an examples/ file verbatim, or marked a signature',
    (readme) => {
      expect(checkReadme(root, readme)).toEqual([]);
    },
  );

  it('no README or TSDoc example answers through an undeclared Graph client', () => {
    const texts = [...CHECKED_READMES.map((readme) => join(root, readme)), ...sourceFiles()];
    const offenders = texts.filter((file) => /\bgraph\.api\(/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('every TSDoc example that creates a webhook gives it a way to build callbackUri()', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const example of text.matchAll(/@example[\s\S]*?```ts([\s\S]*?)```/g)) {
        const code = example[1] ?? '';
        if (/createCallWebhook\(\{/.test(code) && !/publicUrl|partition/.test(code))
          offenders.push(`${file.slice(root.length + 1)}: ${code.trim().split('\n')[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  describe('the check itself', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'callgate-readme-'));
    mkdirSync(join(scratch, 'examples'));
    writeFileSync(join(scratch, 'examples/a.ts'), "export const a = 'a';\n");
    const readme = [
      '# x',
      '<!-- example: examples/a.ts -->',
      '```ts',
      "export const a = 'stale';",
      '```',
      '```ts',
      'unmarked();',
      '```',
      '<!-- signature -->',
      '```ts',
      'f(x: string): void',
      '```',
      '```sh',
      'npm test',
      '```',
      '',
    ].join('\n');
    writeFileSync(join(scratch, 'README.md'), readme);

    it('finds a stale copy and an unmarked block, and ignores signatures and shell', () => {
      expect(checkReadme(scratch, 'README.md')).toEqual([
        expect.stringMatching(/^README.md:3: differs from examples\/a.ts/),
        expect.stringMatching(/^README.md:6: a code block without/),
      ]);
    });

    it('--write copies the file into the block', () => {
      syncReadme(scratch, 'README.md');
      expect(readFileSync(join(scratch, 'README.md'), 'utf8')).toContain(
        "<!-- example: examples/a.ts -->\n```ts\nexport const a = 'a';\n```",
      );
      expect(checkReadme(scratch, 'README.md')).toEqual([
        expect.stringMatching(/^README.md:6: a code block without/),
      ]);
    });
  });
});

function sourceFiles(dir = join(root, 'packages')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.includes('.test') ? [path] : [];
  });
}
