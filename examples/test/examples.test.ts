import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  type DevIssuer,
  type MockGraph,
  playScenario,
  startDevIssuer,
  startMockGraph,
} from '@callgate/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every server example of the READMEs, run as a user runs it (the built file,
// configured by its environment), against the emulator: it must answer the
// incoming call through Graph, answer a GET with 405, and stop gracefully.

const dist = (name: string) => fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));
const incomingCall = readFileSync(
  new URL('../../fixtures/notifications/graph-incoming-call-p2p.json', import.meta.url),
  'utf8',
);
const examples = ['express', 'koa', 'nodeHttp', 'hono', 'fastify'];
const scripts = ['emulatorInProcess', 'mockGraphClient'];

let issuer: DevIssuer;
let graph: MockGraph;

beforeAll(async () => {
  for (const name of [...examples, ...scripts]) {
    if (!existsSync(dist(name)))
      throw new Error(`examples/dist/${name}.js is missing: run \`npx -y pnpm@10.34.9 build\``);
  }
  issuer = await startDevIssuer();
  graph = await startMockGraph({ issuer });
});
afterAll(async () => {
  await Promise.all([issuer?.close(), graph?.close()]);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Running {
  child: ChildProcess;
  webhookUrl: string;
  output: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

async function start(name: string, graphUrl: string): Promise<Running> {
  const port = await freePort();
  const webhookUrl = `http://127.0.0.1:${port}/api/calls`;
  const child = spawn(process.execPath, [dist(name)], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      BOT_APP_ID: issuer.appId,
      PUBLIC_URL: webhookUrl,
      CALLGATE_ISSUERS: JSON.stringify(issuer.issuers),
      CALLGATE_EMULATOR_URL: issuer.url,
      GRAPH_URL: graphUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, at: Date.now() })),
  );
  const deadline = Date.now() + 20_000;
  while (!output.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`${name} did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { child, webhookUrl, output: () => output, exited };
}

async function stop(running: Running): Promise<{ code: number | null; at: number }> {
  if (running.child.exitCode === null) running.child.kill('SIGTERM');
  return running.exited;
}

describe.each(examples)('examples/src/%s.ts', (name) => {
  it('answers the emulator’s incoming call through Graph, and a GET with 405', async () => {
    const running = await start(name, graph.baseUrl);
    try {
      const get = await fetch(running.webhookUrl);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');

      const result = await playScenario('p2p-call', {
        webhookUrl: running.webhookUrl,
        issuer,
        graph,
        appId: issuer.appId,
        answerTimeoutMs: 5000,
        hangUpWaitMs: 200,
      });
      expect(result.failures, running.output()).toEqual([]);
      expect(result.passed).toBe(true);
      expect(result.graphActions.map((action) => action.kind)).toContain('answer');
      expect(running.output()).toContain(`incoming call ${result.callId}`);
    } finally {
      expect((await stop(running)).code).toBe(0);
    }
  }, 60_000);
});

describe('graceful shutdown (examples/src/express.ts)', () => {
  let slowGraph: Server;
  let answers: { finished: boolean }[];
  const delayMs = 600;

  beforeAll(async () => {
    answers = [];
    // A Graph that takes its time to accept an answer: the handler is still running at SIGTERM.
    slowGraph = createServer((req, res) => {
      const answer = { finished: false };
      answers.push(answer);
      req.resume();
      setTimeout(() => {
        res.on('finish', () => {
          answer.finished = true;
        });
        res.writeHead(202).end();
      }, delayMs);
    });
    await new Promise<void>((resolve) => slowGraph.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    slowGraph.closeAllConnections();
    await new Promise((resolve) => slowGraph.close(resolve));
  });

  it('a SIGTERM right after the 202 lets the running handler finish its Graph request, then exits 0', async () => {
    const { port } = slowGraph.address() as AddressInfo;
    const running = await start('express', `http://127.0.0.1:${port}/v1.0`);
    const response = await fetch(running.webhookUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await issuer.mintToken({ audience: issuer.appId })}`,
        'content-type': 'application/json',
      },
      body: incomingCall,
    });
    expect(response.status).toBe(202);
    const signalledAt = Date.now();
    running.child.kill('SIGTERM');
    const { code, at } = await running.exited;
    expect(code, running.output()).toBe(0);
    expect(answers).toEqual([{ finished: true }]);
    expect(at - signalledAt).toBeGreaterThanOrEqual(delayMs - 100);
  }, 60_000);
});

/** Runs a script example to its end: its exit code and everything it printed. */
async function run(
  name: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [dist(name)], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, output };
}

describe('examples/src/emulatorInProcess.ts (the emulator README’s Library example)', () => {
  it('plays p2p-call against the bot it serves in the same process, passes, and exits 0 on its own', async () => {
    const { code, output } = await run('emulatorInProcess', { PORT: String(await freePort()) });
    expect(output).toContain('p2p-call: PASSED');
    expect(output).toMatch(/graph {2}POST \/v1\.0\/communications\/calls\/\S+\/answer -> 202/);
    expect(code, output).toBe(0);
  }, 60_000);
});

describe('examples/src/mockGraphClient.ts (the emulator README’s Mock Graph example)', () => {
  it('gets a token with every Calls.* role from the issuer, which the mock Graph accepts', async () => {
    const { code, output } = await run('mockGraphClient', {
      CALLGATE_EMULATOR_URL: issuer.url,
      GRAPH_URL: graph.baseUrl,
      BOT_APP_ID: issuer.appId,
    });
    expect(code, output).toBe(0);
    expect(output).toContain("'Calls.Initiate.All'");
    expect(output).toContain('missingRoles: []');
    expect(output.trim().split('\n').at(-1)).toBe('404');
  }, 60_000);
});
