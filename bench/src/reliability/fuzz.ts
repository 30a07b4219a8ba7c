import { Agent } from 'node:http';
import { type CallWebhook, createCallWebhook } from '@callgate/core';
import { type DevIssuer, startDevIssuer } from '@callgate/emulator';
import fc from 'fast-check';
import { graphBody, legacyBody } from '../fixtures';
import { APP_ID, benchIssuerProfile, mintBenchToken } from '../issuer';
import { type Framework, startBenchServer } from '../servers';
import { send } from './httpClient';
import { count, DOCUMENTED_STATUSES, type Tally, withHangDetector } from './statuses';

export interface FuzzResult {
  target: string;
  runs: number;
  /** Status -> count. */
  statuses: Tally;
  /** Counterexample, when the property failed. */
  failure?: string;
}

interface FuzzContext {
  issuer: DevIssuer;
  webhook: CallWebhook;
  token: string;
  forged: string;
}

const MAX_BODY = 16 * 1024;

async function fuzzContext(): Promise<FuzzContext> {
  const issuer = await startDevIssuer();
  const webhook = createCallWebhook({
    appId: APP_ID,
    auth: { issuers: [benchIssuerProfile(issuer)] },
    limits: { maxBodyBytes: MAX_BODY },
  });
  await webhook.warm();
  return {
    issuer,
    webhook,
    token: await mintBenchToken(issuer),
    forged: await issuer.mintForgedToken('botframework', APP_ID),
  };
}

/** JSON text that is mostly a notification: fixtures with fields replaced by arbitrary JSON. */
function notificationText(): fc.Arbitrary<string> {
  const graph = JSON.parse(graphBody) as { value: Record<string, unknown>[] };
  return fc.oneof(
    { arbitrary: fc.constantFrom(graphBody, legacyBody), weight: 3 },
    {
      arbitrary: fc
        .record({
          field: fc.constantFrom(
            'changeType',
            'resourceUrl',
            'resourceData',
            '@odata.type',
            'resource',
          ),
          value: fc.jsonValue({ maxDepth: 4 }),
        })
        .map(({ field, value }) =>
          JSON.stringify({ ...graph, value: [{ ...graph.value[0], [field]: value }] }),
        ),
      weight: 3,
    },
    fc.json({ maxDepth: 6 }),
    fc.string({ maxLength: 300 }),
    fc.nat({ max: 200 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  );
}

/** Header values a client can actually send (visible ASCII and spaces). */
const headerText = fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim());

function authorization(context: FuzzContext): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${context.token}`), weight: 6 },
    fc.constant(`Bearer ${context.forged}`),
    fc.constant(undefined),
    headerText,
    headerText.map((s) => `Bearer ${s}`),
    fc.nat({ max: context.token.length - 1 }).map((cut) => `Bearer ${context.token.slice(0, cut)}`),
    fc.constantFrom('bearer ', 'Basic Zm9vOmJhcg==', `Bearer  ${context.token}`),
  );
}

function headers(context: FuzzContext): fc.Arbitrary<Record<string, string>> {
  return fc
    .record(
      {
        authorization: authorization(context),
        'content-type': fc.constantFrom(
          'application/json',
          'text/plain',
          'application/json; charset=utf-16',
          '',
        ),
        'content-length': fc.oneof(headerText, fc.nat().map(String)),
        'x-microsoft-skype-chain-id': headerText,
        'x-microsoft-skype-message-id': headerText,
        'x-microsoft-skype-caller-region': headerText,
        authentication: headerText,
      },
      { requiredKeys: ['authorization', 'content-type'] },
    )
    .map((record) => {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(record))
        if (value !== undefined) out[name] = value;
      return out;
    });
}

const methods = fc.oneof(
  { arbitrary: fc.constant('POST'), weight: 12 },
  fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'post'),
);

function body(): fc.Arbitrary<unknown> {
  return fc.oneof(
    notificationText(),
    notificationText().map((text) => new TextEncoder().encode(text)),
    fc.uint8Array({ maxLength: 400 }),
    fc.jsonValue({ maxDepth: 5 }),
    fc.constant(undefined),
    fc.nat({ max: 3 * MAX_BODY }).map((n) => 'x'.repeat(n)),
  );
}

/** Arbitrary requests straight into `webhook.handle`. */
export async function fuzzHandle(runs: number, seed?: number): Promise<FuzzResult> {
  const context = await fuzzContext();
  const statuses: Tally = {};
  try {
    const details = await fc.check(
      fc.asyncProperty(
        methods,
        fc.constantFrom('/api/calls', '/api/calls?partition=a', '/', ''),
        headers(context),
        body(),
        async (method, url, hdrs, payload) => {
          const response = await withHangDetector(
            context.webhook.handle({ method, url, headers: hdrs, body: payload }),
            10_000,
            'webhook.handle',
          );
          count(statuses, String(response.status));
          if (!DOCUMENTED_STATUSES.has(response.status)) return false;
          if (typeof response.body !== 'string') return false;
          return !response.body.includes(context.token) && !response.body.includes(context.forged);
        },
      ),
      { numRuns: runs, ...(seed !== undefined ? { seed } : {}) },
    );
    return {
      target: 'webhook.handle (in process)',
      runs,
      statuses,
      ...(details.failed ? { failure: fc.defaultReportMessage(details) ?? 'failed' } : {}),
    };
  } finally {
    await context.webhook.idle();
    await context.issuer.close();
  }
}

/** Arbitrary requests over HTTP to the callgate adapter of `framework`. */
export async function fuzzAdapter(
  framework: Framework,
  runs: number,
  seed?: number,
): Promise<FuzzResult> {
  const context = await fuzzContext();
  const { server, url } = await startBenchServer({
    framework,
    mode: 'callgate',
    metadataUrl: '',
    webhook: context.webhook,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const statuses: Tally = {};
  const encoder = new TextEncoder();
  try {
    const httpBody = fc.oneof(
      notificationText().map((text) => encoder.encode(text)),
      fc.uint8Array({ maxLength: 400 }),
      fc.nat({ max: 3 * MAX_BODY }).map((n) => new Uint8Array(n).fill(0x61)),
    );
    const details = await fc.check(
      fc.asyncProperty(
        methods,
        headers(context),
        httpBody,
        fc.nat({ max: 3 }),
        async (method, hdrs, payload, pieces) => {
          const sent: Record<string, string> = { ...hdrs };
          // A wrong Content-Length would desynchronise the connection: send the true one or none.
          if ('content-length' in sent) sent['content-length'] = String(payload.byteLength);
          const size = Math.ceil(payload.byteLength / (pieces + 1)) || 1;
          const chunks: Uint8Array[] = [];
          for (let at = 0; at < payload.byteLength; at += size)
            chunks.push(payload.subarray(at, at + size));
          const outcome = await withHangDetector(
            send(url, { method, headers: sent, chunks }, agent),
            10_000,
            `${framework} adapter`,
          );
          count(statuses, String(outcome.status));
          return typeof outcome.status === 'number' && DOCUMENTED_STATUSES.has(outcome.status);
        },
      ),
      { numRuns: runs, ...(seed !== undefined ? { seed } : {}) },
    );
    return {
      target: `${framework} adapter over HTTP`,
      runs,
      statuses,
      ...(details.failed ? { failure: fc.defaultReportMessage(details) ?? 'failed' } : {}),
    };
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await context.webhook.idle();
    await context.issuer.close();
  }
}
