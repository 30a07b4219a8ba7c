import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** A relative path written in a file that resolves above the repository root. */
export interface Escape {
  file: string;
  line: number;
  written: string;
  resolved: string;
}

const CODE = /\.(?:[cm]?[jt]sx?|json|jsonc|ya?ml|sh)$/;
const MARKDOWN = /\.md$/;

/**
 * Every path-like string a file can use to reach another file: string literals
 * (imports, `new URL(..., import.meta.url)`, `readFileSync`, tsconfig `extends`
 * and `references`, package.json `file:`/`link:` specifiers, shell `cd`), and
 * Markdown link targets.
 */
function writtenPaths(file: string, text: string): Array<{ line: number; path: string }> {
  const found: Array<{ line: number; path: string }> = [];
  const lines = text.split('\n');
  lines.forEach((lineText, index) => {
    const add = (path: string) => found.push({ line: index + 1, path });
    if (CODE.test(file)) {
      for (const match of lineText.matchAll(/(?:['"`]|(?:file|link):|\s)(\.\.?\/[^'"`\s)]*)/g)) {
        add(match[1]!);
      }
    }
    if (MARKDOWN.test(file)) {
      for (const match of lineText.matchAll(/\]\(([^)\s#]+)/g)) {
        const target = match[1]!;
        if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) add(target);
      }
      for (const match of lineText.matchAll(/(?:^|\s)(\.\.\/[^\s`'")]*)/g)) add(match[1]!);
    }
  });
  return found;
}

/** The files git tracks, plus new ones not ignored (so a test sees work not yet committed). */
export function repositoryFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  return out.split('\n').filter((file) => file !== '' && file !== 'pnpm-lock.yaml');
}

/** The relative paths in the repository's files that land above `root`. */
export function findEscapes(root: string, files: readonly string[]): Escape[] {
  const escapes: Escape[] = [];
  for (const file of files) {
    if (!CODE.test(file) && !MARKDOWN.test(file)) continue;
    let text: string;
    try {
      text = readFileSync(resolve(root, file), 'utf8');
    } catch {
      continue; // deleted in the work tree
    }
    for (const { line, path } of writtenPaths(file, text)) {
      const resolved = resolve(
        root,
        dirname(file),
        path.replace(/[?#].*$/, '').replace(/\$\{[^}]*\}/g, 'x'),
      );
      const fromRoot = relative(root, resolved);
      if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
        escapes.push({ file, line, written: path, resolved });
      }
    }
  }
  return escapes;
}
