import { readFileSync, readdirSync } from 'node:fs';

/** The repository's notification fixtures: `fixtures/notifications/` at the root. */
const folder = new URL('../../../../fixtures/notifications/', import.meta.url);

/** The names of every notification fixture (without `.json`), sorted. */
export function fixtureNames(): string[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** The text of a fixture from fixtures/notifications (without `.json`). */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`${name}.json`, folder), 'utf8');
}

/** A fixture parsed. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}
