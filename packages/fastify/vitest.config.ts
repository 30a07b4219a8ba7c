import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: '@callgate/fastify',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
