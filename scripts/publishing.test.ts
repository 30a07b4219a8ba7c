import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What the registry shows: every published package names the repository
// (declared once, in the root package.json), its homepage, where to report
// bugs, and keywords; its README links only to what the registry page can reach.

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const read = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const rootManifest = read('package.json');
const repositoryUrl: string = rootManifest.repository.url;
/** `git+https://github.com/o/r.git` -> `https://github.com/o/r` */
const repositoryWeb = repositoryUrl.replace(/^git\+/, '').replace(/\.git$/, '');
const published = readdirSync(join(root, 'packages')).filter(
  (name) => read(`packages/${name}/package.json`).private !== true,
);

describe('publishing metadata', () => {
  it('the root package.json declares the repository once', () => {
    expect(repositoryUrl).toMatch(/^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
    expect(rootManifest.homepage.startsWith(repositoryWeb)).toBe(true);
    expect(published.length).toBeGreaterThanOrEqual(5);
  });

  it.each(published)('@callgate/%s names the repository, homepage, bugs and keywords', (name) => {
    const manifest = read(`packages/${name}/package.json`);
    expect(manifest.repository).toEqual({
      type: 'git',
      url: repositoryUrl,
      directory: `packages/${name}`,
    });
    expect(manifest.homepage).toBe(`${repositoryWeb}/tree/main/packages/${name}#readme`);
    expect(manifest.bugs).toEqual({ url: `${repositoryWeb}/issues` });
    expect(manifest.keywords).toEqual(expect.arrayContaining(['microsoft-teams']));
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines).toEqual({ node: '>=20.11' });
  });

  it.each(published)(
    '@callgate/%s README links only to the repository URL or within itself',
    (name) => {
      const readme = readFileSync(join(root, 'packages', name, 'README.md'), 'utf8');
      const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] as string);
      const dead = links.filter((link) => {
        if (link.startsWith('#')) return false; // an anchor of this README
        if (/^https?:\/\//.test(link))
          return link.includes('github.com/') && !link.startsWith(repositoryWeb);
        return true; // relative: dead on the registry page (only dist/ and README.md are shipped)
      });
      expect(dead).toEqual([]);
    },
  );
});
