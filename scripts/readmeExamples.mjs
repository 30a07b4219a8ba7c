#!/usr/bin/env node
// The READMEs' code examples are copies of files in examples/src, which CI
// typechecks and runs against the emulator. Each ```ts block is preceded by
//   <!-- example: examples/src/express.ts -->   (the block is that file, verbatim)
// or
//   <!-- signature -->                          (an API summary, not a program)
// `node scripts/readmeExamples.mjs` checks; `--write` copies the files into the READMEs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The READMEs whose examples are checked, relative to the repository root. */
export const CHECKED_READMES = [
  'README.md',
  'packages/core/README.md',
  'packages/express/README.md',
  'packages/koa/README.md',
  'packages/node/README.md',
  'packages/fastify/README.md',
  'packages/opentelemetry/README.md',
  'packages/calls/README.md',
  'packages/emulator/README.md',
];

const fence = /^```(ts|typescript|js|javascript|tsx|mjs|cjs)\s*$/;
const marker = /^<!--\s*(example:\s*(\S+)|signature)\s*-->\s*$/;

/**
 * The code blocks of `markdown`: language, text, the marker line before it
 * (if any), and where the text starts and ends (line indexes).
 */
export function codeBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let index = 0; index < lines.length; index++) {
    const language = fence.exec(lines[index])?.[1];
    if (language === undefined) {
      if (lines[index].startsWith('```')) {
        // Another language (sh, json...): skip to its closing fence.
        do index++;
        while (index < lines.length && !lines[index].startsWith('```'));
      }
      continue;
    }
    const start = index + 1;
    let end = start;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    const previous = lines[index - 1] ?? '';
    const match = marker.exec(previous);
    blocks.push({
      line: index + 1,
      start,
      end,
      text: lines.slice(start, end).join('\n'),
      example: match?.[2],
      signature: match?.[1] === 'signature',
    });
    index = end;
  }
  return blocks;
}

/** Problems of one README: unmarked blocks, examples that differ from their file. */
export function checkReadme(root, readme) {
  const problems = [];
  for (const block of codeBlocks(readFileSync(join(root, readme), 'utf8'))) {
    if (block.signature) continue;
    if (block.example === undefined) {
      problems.push(
        `${readme}:${block.line}: a code block without <!-- example: examples/src/... --> or <!-- signature --> before it`,
      );
      continue;
    }
    let file;
    try {
      file = readFileSync(join(root, block.example), 'utf8');
    } catch {
      problems.push(`${readme}:${block.line}: ${block.example} does not exist`);
      continue;
    }
    if (`${block.text}\n` !== file)
      problems.push(
        `${readme}:${block.line}: differs from ${block.example} (run node scripts/readmeExamples.mjs --write)`,
      );
  }
  return problems;
}

/** Rewrites every example block of `readme` with its file's text. */
export function syncReadme(root, readme) {
  const path = join(root, readme);
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const block of codeBlocks(lines.join('\n')).reverse()) {
    if (block.example === undefined) continue;
    const file = readFileSync(join(root, block.example), 'utf8').replace(/\n$/, '');
    lines.splice(block.start, block.end - block.start, ...file.split('\n'));
  }
  writeFileSync(path, lines.join('\n'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (process.argv.includes('--write'))
    for (const readme of CHECKED_READMES) syncReadme(root, readme);
  const problems = CHECKED_READMES.flatMap((readme) => checkReadme(root, readme));
  for (const problem of problems) console.error(problem);
  process.exit(problems.length === 0 ? 0 : 1);
}
