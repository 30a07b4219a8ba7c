// Loaded with require() from the packed packages: what a CommonJS user runs.
// Prints one JSON line: what the webhook answered, and whether the handler ran.
const { readFileSync } = require('node:fs');
const { createCallWebhook, createFetchHandler, createTokenVerifier } = require('@callgate/core');
const { createNodeHandler } = require('@callgate/node');
const { createCallsClient } = require('@callgate/calls');
const { createExpressMiddleware } = require('@callgate/express');
const { createKoaMiddleware } = require('@callgate/koa');
const { startDevIssuer } = require('@callgate/emulator');
const { fastifyCallgate } = require('@callgate/fastify');
const { instrumentCallgate } = require('@callgate/opentelemetry');

async function main() {
  const notification = readFileSync(process.argv[2], 'utf8');
  const issuer = await startDevIssuer();
  try {
    const webhook = createCallWebhook({
      appId: issuer.appId,
      publicUrl: 'https://bot.example.com/api/calls',
      auth: { issuers: issuer.issuers },
      logger: false,
    });
    const seen = [];
    webhook.on('incomingCall', (event) => {
      seen.push(event.type);
    });
    const post = async (token) =>
      (
        await webhook.handle({
          method: 'POST',
          url: '/api/calls',
          headers: token ? { authorization: `Bearer ${token}` } : {},
          body: notification,
        })
      ).status;
    const statuses = {
      get: (await webhook.handle({ method: 'GET', url: '/api/calls', headers: {}, body: '' }))
        .status,
      noToken: await post(undefined),
      forged: await post(await issuer.mintForgedToken('botframework', issuer.appId)),
      valid: await post(await issuer.mintToken({ audience: issuer.appId })),
      aad: await post(await issuer.mintToken({ kind: 'aad-v2', audience: issuer.appId })),
    };
    await webhook.idle();
    const adapters = [
      createFetchHandler,
      createNodeHandler,
      createExpressMiddleware,
      createKoaMiddleware,
    ]
      .map((create) => typeof create(webhook))
      .join(',');
    const calls = createCallsClient({ credential: async () => 'token', webhook });
    const callsClient = typeof calls.answer;
    const plugins = [typeof fastifyCallgate, typeof instrumentCallgate().instrument.handle].join(
      ',',
    );
    // Which RS256 check this runtime gets: node:crypto needs process.getBuiltinModule (Node 20.16+).
    const verifier = createTokenVerifier({
      appId: issuer.appId,
      issuers: issuer.issuers,
      logger: false,
    });
    await verifier.verify({
      authorization: `Bearer ${await issuer.mintToken({ audience: issuer.appId })}`,
    });
    const { signatureCheck, signatureChecks } = verifier.stats;
    console.log(
      JSON.stringify({
        node: process.version,
        statuses,
        seen,
        adapters,
        callsClient,
        plugins,
        signature: { check: signatureCheck, count: signatureChecks },
      }),
    );
  } finally {
    await issuer.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
