// mockGraphClient.ts: the bot's Graph requests to the emulator's mock Graph, with the dev credential.
import { createCallsClient } from '@callgate/calls';
import { devCredential } from '@callgate/emulator';

// `callgate-emulator serve` prints both URLs; in-process, devCredential(issuer) and graph.baseUrl.
const { CALLGATE_EMULATOR_URL = 'http://127.0.0.1:4700', BOT_APP_ID = '<the bot app id>' } =
  process.env;
const { GRAPH_URL = 'http://127.0.0.1:4701/v1.0' } = process.env;

const credential = devCredential(CALLGATE_EMULATOR_URL, { appId: BOT_APP_ID });
const calls = createCallsClient({ credential, baseUrl: GRAPH_URL });
console.log(await calls.warm()); // { roles: ['Calls.AccessMedia.All', ...], missingRoles: [] }

// Any other Graph client: the credential is a TokenCredential, or take a token yourself.
const { token } = await credential.getToken('https://graph.microsoft.com/.default');
const response = await fetch(`${GRAPH_URL}/communications/calls/no-such-call`, {
  headers: { authorization: `Bearer ${token}` },
});
console.log(response.status); // 404: the token is accepted, and the mock Graph knows no such call
