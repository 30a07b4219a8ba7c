import { defineConfig } from 'tsup';

// Each server example as one runnable file (its webhook.ts and graph.ts inlined).
export default defineConfig({
  entry: ['src/express.ts', 'src/koa.ts', 'src/nodeHttp.ts', 'src/hono.ts', 'src/fastify.ts'],
  format: ['esm'],
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.json',
});
