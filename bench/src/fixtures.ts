import { readFileSync } from 'node:fs';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/notifications/${name}`, import.meta.url), 'utf8');

/** A real Graph incoming-call notification (the body every contender parses). */
export const graphBody: string = JSON.stringify(
  JSON.parse(fixture('graph-incoming-call-p2p.json')),
);

/** A real legacy (Skype) incoming-call notification: answered 204. */
export const legacyBody: string = JSON.stringify(
  JSON.parse(fixture('legacy-skype-incoming-call-conversation-docs.json')),
);
