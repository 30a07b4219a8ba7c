import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCallWebhook, type IncomingCallEvent } from '@callgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_APP_ID, DEV_TENANT_ID, type DevIssuer, startDevIssuer } from './startDevIssuer';

const samplePath = 'packages/emulator/examples/incoming-call.json';
const sample = readFileSync(
  fileURLToPath(new URL('../examples/incoming-call.json', import.meta.url)),
  'utf8',
);
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

let issuer: DevIssuer;
beforeAll(async () => {
  issuer = await startDevIssuer();
});
afterAll(() => issuer.close());

describe("the README's curl example and its sample notification", () => {
  it('the README posts the sample file with a token of `token --kind aad-v2`', () => {
    expect(readme).toContain(`-d @${samplePath}`);
    expect(readme).toMatch(/Bearer \$\([^)]*emulator[^)]* token --kind aad-v2\)/);
  });

  it('is a Graph incoming call for the dev app and tenant that a callgate webhook accepts (202)', async () => {
    const webhook = createCallWebhook({
      appId: DEV_APP_ID,
      auth: { issuers: issuer.issuers },
    });
    const seen: IncomingCallEvent[] = [];
    webhook.on('incomingCall', (event) => {
      seen.push(event);
    });
    const token = await issuer.mintToken({ kind: 'aad-v2', audience: DEV_APP_ID });
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: sample,
    });
    expect(response.status).toBe(202);
    await webhook.idle();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      callId: '4b1f0c00-5a1e-4f3a-9d7e-0c6a1a2b3c4d',
    });
    expect(JSON.parse(sample)).toMatchObject({
      value: [
        {
          resourceData: {
            tenantId: DEV_TENANT_ID,
            targets: [{ identity: { application: { id: DEV_APP_ID } } }],
          },
        },
      ],
    });
  });
});
