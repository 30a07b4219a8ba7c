import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@callgate/examples', include: ['test/**/*.test.ts'] },
});
