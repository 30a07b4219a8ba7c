import { readFileSync } from 'node:fs';

const folder = new URL('../../../../../shared/fixtures/notifications/', import.meta.url);

/** The text of a fixture from shared/fixtures/notifications (without `.json`). */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`${name}.json`, folder), 'utf8');
}

/** A fixture parsed. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}
