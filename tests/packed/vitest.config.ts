import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@callgate/packed-test', include: ['src/**/*.test.ts'] },
});
