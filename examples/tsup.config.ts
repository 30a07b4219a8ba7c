import { defineConfig } from 'tsup';

// Each example the tests run, as one runnable file (the server examples' webhook.ts inlined).
export default defineConfig({
  entry: [
    'src/express.ts',
    'src/koa.ts',
    'src/nodeHttp.ts',
    'src/hono.ts',
    'src/fastify.ts',
    'src/emulatorInProcess.ts',
    'src/mockGraphClient.ts',
  ],
  format: ['esm'],
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.json',
});
