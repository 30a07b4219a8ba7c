import {
  createPublicKey,
  type KeyObject,
  type JsonWebKey as NodeJsonWebKey,
  verify,
} from 'node:crypto';
import { type CallWebhook, type CallWebhookOptions, createCallWebhook } from '@callgate/core';
import type { DevIssuer } from '@callgate/emulator';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import {
  APP_ID,
  BOT_FRAMEWORK_ISSUER,
  BOT_PUBLIC_URL,
  benchIssuerProfile,
  SERVICE_URL,
} from './issuer';
import { equipLikeABot } from './equipLikeABot';

/** Verifies `token` and parses `body`; resolves when accepted, rejects otherwise. */
export type Contender = (token: string, body: string) => Promise<unknown>;

/** The bench's webhook as created, nothing registered on it. */
export function bareBenchWebhook(
  issuer: DevIssuer,
  more: Partial<CallWebhookOptions> = {},
): CallWebhook {
  return createCallWebhook({
    appId: APP_ID,
    publicUrl: BOT_PUBLIC_URL,
    auth: { issuers: [benchIssuerProfile(issuer)] },
    ...more,
  });
}

/** The bench's webhook, with a `notification` handler and a linked calls client, as every real bot has. */
export function benchWebhook(
  issuer: DevIssuer,
  more: Partial<CallWebhookOptions> = {},
): CallWebhook {
  const webhook = bareBenchWebhook(issuer, more);
  equipLikeABot(webhook);
  return webhook;
}

/** callgate's whole pipeline: verify + parse + decide + dispatch to the registered handlers. */
export function callgateContender(webhook: CallWebhook): Contender {
  return async (token, body) => {
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body,
    });
    if (response.status !== 202) throw new Error(`callgate answered ${response.status}`);
  };
}

/** The JWKS behind an OpenID metadata URL (the dev issuer's). */
export async function fetchJwks(openIdConfigurationUrl: string): Promise<JSONWebKeySet> {
  const metadata = (await (await fetch(openIdConfigurationUrl)).json()) as { jwks_uri: string };
  return (await (await fetch(metadata.jwks_uri)).json()) as JSONWebKeySet;
}

/**
 * One awaited WebCrypto RS256 signature check with an already imported key,
 * and JSON.parse: the floor of anything built on WebCrypto, as jose (and so
 * callgate) is. The check runs on libuv's thread pool: its latency includes
 * the hop there and back.
 */
export async function webCryptoContender(jwks: JSONWebKeySet): Promise<Contender> {
  const keys = new Map<string, CryptoKey>();
  for (const jwk of jwks.keys) {
    const key = await crypto.subtle.importKey(
      'jwk',
      jwk as JsonWebKey,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    keys.set(String(jwk.kid), key);
  }
  const encoder = new TextEncoder();
  return async (token, body) => {
    const firstDot = token.indexOf('.');
    const lastDot = token.lastIndexOf('.');
    const header = JSON.parse(Buffer.from(token.slice(0, firstDot), 'base64url').toString()) as {
      kid: string;
    };
    const key = keys.get(header.kid);
    if (key === undefined) throw new Error('unknown kid');
    const ok = await crypto.subtle.verify(
      'RSASSA-PKCS1-v1_5',
      key,
      Buffer.from(token.slice(lastDot + 1), 'base64url'),
      encoder.encode(token.slice(0, lastDot)),
    );
    if (!ok) throw new Error('bad signature');
    return JSON.parse(body);
  };
}

/**
 * One synchronous node:crypto RS256 signature check (`crypto.verify`) with an
 * already imported key, and JSON.parse: the same signature, without
 * WebCrypto's asynchronous cost. Not what jose does on Node (it uses WebCrypto).
 */
export function nodeCryptoContender(jwks: JSONWebKeySet): Contender {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks.keys) {
    keys.set(String(jwk.kid), createPublicKey({ key: jwk as NodeJsonWebKey, format: 'jwk' }));
  }
  return async (token, body) => {
    const firstDot = token.indexOf('.');
    const lastDot = token.lastIndexOf('.');
    const header = JSON.parse(Buffer.from(token.slice(0, firstDot), 'base64url').toString()) as {
      kid: string;
    };
    const key = keys.get(header.kid);
    if (key === undefined) throw new Error('unknown kid');
    const ok = verify(
      'sha256',
      Buffer.from(token.slice(0, lastDot)),
      key,
      Buffer.from(token.slice(lastDot + 1), 'base64url'),
    );
    if (!ok) throw new Error('bad signature');
    return JSON.parse(body);
  };
}

/** A hand-written jose check of the token alone: jwtVerify against a local JWKS. */
export function joseTokenCheck(jwks: JSONWebKeySet): (token: string) => Promise<unknown> {
  const keySet = createLocalJWKSet(jwks);
  return (token) =>
    jwtVerify(token, keySet, {
      issuer: BOT_FRAMEWORK_ISSUER,
      audience: APP_ID,
      algorithms: ['RS256'],
      clockTolerance: 300,
      requiredClaims: ['exp'],
    });
}

/** What a developer would write by hand with jose: jwtVerify against a local JWKS, then JSON.parse. */
export function joseContender(jwks: JSONWebKeySet): Contender {
  const check = joseTokenCheck(jwks);
  return async (token, body) => {
    await check(token);
    return JSON.parse(body);
  };
}

/**
 * botframework-connector's `JwtTokenValidation.authenticateRequest`, with its
 * channel OpenID metadata pointed at the dev issuer on 127.0.0.1. The body is
 * parsed first, as a Bot Framework adapter does (it needs the activity).
 */
export async function botFrameworkContender(openIdConfigurationUrl: string): Promise<Contender> {
  // Loaded on demand: it is heavy, and no other contender or server should pay for it.
  const {
    AuthenticationConfiguration,
    ChannelValidation,
    JwtTokenValidation,
    SimpleCredentialProvider,
  } = await import('botframework-connector');
  ChannelValidation.OpenIdMetadataEndpoint = openIdConfigurationUrl;
  const credentials = new SimpleCredentialProvider(APP_ID, '');
  const config = new AuthenticationConfiguration();
  return async (token, body) => {
    const parsed = JSON.parse(body) as object;
    const activity = { ...parsed, channelId: 'msteams', serviceUrl: SERVICE_URL };
    return JwtTokenValidation.authenticateRequest(
      activity as Parameters<typeof JwtTokenValidation.authenticateRequest>[0],
      `Bearer ${token}`,
      credentials,
      '',
      config,
    );
  };
}
