import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotFrameworkIssuerProfile } from '@callgate/core';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { APP_ID } from '../issuer';

/** How the key endpoint behaves; the metadata endpoint always works. */
export type KeyEndpointMode = 'ok' | 'down' | 'reset' | 'slow' | 'garbage';

interface Key {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = `fault-${randomUUID()}`;
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

/** A loopback OpenID issuer whose key endpoint can be broken on purpose. */
export interface FaultyIssuer {
  readonly profile: BotFrameworkIssuerProfile;
  mode: KeyEndpointMode;
  /** Delay of the `slow` mode. */
  slowMs: number;
  readonly keyFetches: number;
  /** Signs with the current key, or with `key` (e.g. one kept from before a rotation). */
  mint(key?: Key): Promise<string>;
  readonly currentKey: Key;
  /** A new signing key; only it is published from now on. */
  rotate(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultyIssuer(mode: KeyEndpointMode = 'ok'): Promise<FaultyIssuer> {
  let key = await newKey();
  let keyFetches = 0;
  const state = { mode, slowMs: 3000 };
  const pendingTimers = new Set<ReturnType<typeof setTimeout>>();
  let base = '';
  const issuerName = () => `${base}/issuer`;
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: issuerName(), jwks_uri: `${base}/keys` }));
      return;
    }
    if (req.url !== '/keys') {
      res.writeHead(404).end();
      return;
    }
    keyFetches++;
    const keys = JSON.stringify({ keys: [key.jwk] });
    switch (state.mode) {
      case 'ok':
        res.writeHead(200, { 'content-type': 'application/json' }).end(keys);
        return;
      case 'down':
        res.writeHead(503).end('service unavailable');
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>{"keys": [}');
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          pendingTimers.delete(timer);
          if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(keys);
        }, state.slowMs);
        pendingTimers.add(timer);
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    profile: {
      kind: 'botframework',
      issuers: [issuerName()],
      openIdConfigurationUrl: `${base}/.well-known/openid-configuration`,
    },
    get mode() {
      return state.mode;
    },
    set mode(value) {
      state.mode = value;
    },
    get slowMs() {
      return state.slowMs;
    },
    set slowMs(value) {
      state.slowMs = value;
    },
    get keyFetches() {
      return keyFetches;
    },
    get currentKey() {
      return key;
    },
    mint(signWith = key) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: issuerName(),
        aud: APP_ID,
        tid: '00000000-0000-4000-8000-0000000d7e11',
        appid: '26a18ebc-cdf7-4a6a-91cb-beb352805e81',
        nbf: now,
        exp: now + 3600,
        uti: randomUUID(),
      })
        .setProtectedHeader({ alg: 'RS256', kid: signWith.kid, typ: 'JWT' })
        .sign(signWith.privateKey);
    },
    async rotate() {
      key = await newKey();
    },
    async close() {
      for (const timer of pendingTimers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
