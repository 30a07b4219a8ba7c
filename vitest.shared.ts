import { fileURLToPath } from 'node:url';

/**
 * Tests run against each package's TypeScript source, not its build: a test
 * of an adapter exercises the core as it is in the working tree.
 */
const src = (pkg: string) =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export const sourceAliases = {
  '@callgate/core': src('core'),
  '@callgate/express': src('express'),
  '@callgate/koa': src('koa'),
  '@callgate/node': src('node'),
  '@callgate/emulator': src('emulator'),
  '@callgate/calls': src('calls'),
  '@callgate/fastify': src('fastify'),
  '@callgate/opentelemetry': src('opentelemetry'),
};
