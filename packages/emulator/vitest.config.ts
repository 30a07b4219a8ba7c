import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: '@callgate/emulator',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // RSA key generation and real loopback sockets are slow on a busy 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
