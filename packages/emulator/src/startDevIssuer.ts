import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import { EmulatorError } from './EmulatorError';
import { CALLING_SERVICE_APP_ID, type DevIssuerProfile, devIssuerProfiles } from './issuerProfile';
import { parseJson, type ServerReply, startLoopbackServer } from './loopbackServer';

/**
 * The claims of a verified dev token. Declared here, not taken from jose, so
 * the CommonJS type declarations do not import an ESM-only package.
 */
export interface DevTokenClaims {
  iss?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  [claim: string]: unknown;
}

/** Which kind of token the calling service sends: Skype-issued, or Azure AD v1 / v2. */
export type TokenKind = 'botframework' | 'aad-v1' | 'aad-v2';

/** Options of {@link TokenMinter.mintToken}. */
export interface MintTokenOptions {
  /** Default `botframework`, what most real calling traffic carries. */
  kind?: TokenKind;
  /** The bot's app id (`aud`). */
  audience: string;
  /** `tid`, and the tenant in an AAD `iss`. Default: the issuer's tenant. */
  tenantId?: string;
  /** Default 300 (Skype-issued tokens live 5 minutes) or 3600 (AAD). */
  lifetimeSeconds?: number;
  /** Claims added last, overriding the defaults (use to test a verifier). */
  claims?: Record<string, unknown>;
  /** Issue a token that expired 15 minutes ago, beyond any clock tolerance. */
  expired?: boolean;
}

/** Something that mints calling-service tokens: a {@link DevIssuer} or a remote one. */
export interface TokenMinter {
  /** The tenant tokens carry unless told otherwise. */
  readonly tenantId: string;
  mintToken(options: MintTokenOptions): Promise<string>;
  /** A well-formed token with the current `kid`, signed by a key nobody publishes. */
  mintForgedToken(kind: TokenKind, audience: string): Promise<string>;
}

/** Options of {@link startDevIssuer}. */
export interface DevIssuerOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** The dev bot's app id, the default audience of the CLI. Default: a fixed dev GUID. */
  appId?: string;
  /** Default tenant of minted tokens. Default: a fixed dev GUID. */
  tenantId?: string;
}

/** A running dev identity provider; see {@link startDevIssuer}. */
export interface DevIssuer extends TokenMinter {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly appId: string;
  /** Exactly what to pass as the bot's `auth.issuers`. */
  readonly issuers: DevIssuerProfile[];
  /** Metadata and key fetches so far, to test a verifier's cache. */
  readonly stats: DevIssuerStats;
  /** Replaces every signing key (new `kid`s); old keys are no longer published. */
  rotateKeys(): Promise<void>;
  /**
   * Checks an Azure AD token this issuer minted (its current AAD key, an AAD v1
   * or v2 `iss` for the token's `tid`, `exp`/`nbf`, and `aud` when given) and
   * returns its claims; rejects otherwise. The mock Graph checks the bot's
   * access tokens ({@link devCredential}) with it. Key fetch counters are untouched.
   */
  verifyAccessToken(token: string, options?: { audience?: string[] }): Promise<DevTokenClaims>;
  close(): Promise<void>;
}

/** Fetch counts of a {@link DevIssuer}. */
export interface DevIssuerStats {
  botFrameworkMetadataFetches: number;
  botFrameworkKeyFetches: number;
  aadMetadataFetches: number;
  aadKeyFetches: number;
}

/** A fixed dev app id, so a dev bot's config survives restarts of the emulator. */
export const DEV_APP_ID = '00000000-0000-4000-8000-00000000b07a';
/** A fixed dev tenant. */
export const DEV_TENANT_ID = '00000000-0000-4000-8000-0000000d7e11';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

async function newSigningKey(prefix: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = `${prefix}-${randomBytes(9).toString('base64url')}`;
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' },
  };
}

/**
 * Starts a local identity provider that plays both issuers of the calling
 * service, on 127.0.0.1 (ephemeral port by default):
 *
 * | real | dev |
 * | --- | --- |
 * | Skype metadata `https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration` | `{url}/botframework/.well-known/OpenIdConfiguration` |
 * | Skype `iss` `https://api.botframework.com` | `{url}/botframework` |
 * | AAD metadata `https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration` | `{url}/aad/common/v2.0/.well-known/openid-configuration` |
 * | AAD v1 `iss` `https://sts.windows.net/{tenantid}/` | `{url}/sts/{tenantid}/` |
 * | AAD v2 `iss` `https://login.microsoftonline.com/{tenantid}/v2.0` | `{url}/aad/{tenantid}/v2.0` |
 *
 * The dev issuer strings differ from the real ones on purpose: a bot trusts
 * them through its ordinary issuer options ({@link DevIssuer.issuers}), and a
 * production config can never accept a dev token by accident.
 *
 * It also serves `POST {url}/_emulator/token` (the CLI's `token` and remote
 * `play`); never expose it beyond loopback.
 *
 * @example
 * ```ts
 * const issuer = await startDevIssuer();
 * const webhook = createCallWebhook({
 *   appId,
 *   publicUrl: 'http://127.0.0.1:3978/api/calls',
 *   auth: { issuers: issuer.issuers },
 * });
 * const token = await issuer.mintToken({ audience: appId });
 * await issuer.close();
 * ```
 */
export async function startDevIssuer(options: DevIssuerOptions = {}): Promise<DevIssuer> {
  const appId = options.appId ?? DEV_APP_ID;
  const tenantId = options.tenantId ?? DEV_TENANT_ID;
  // RSA key generation is slow on a busy machine: make the three keys at once.
  const [botframework, aad, forger] = await Promise.all([
    newSigningKey('dev-skype'),
    newSigningKey('dev-aad'),
    generateKeyPair('RS256'),
  ]);
  const keys = { botframework, aad };
  // The forger knows the kid in use but not the key behind it.
  const forgerKey = forger.privateKey;
  const stats: DevIssuerStats = {
    botFrameworkMetadataFetches: 0,
    botFrameworkKeyFetches: 0,
    aadMetadataFetches: 0,
    aadKeyFetches: 0,
  };
  let base = '';

  const botFrameworkIssuer = () => `${base}/botframework`;
  const aadV1Template = () => `${base}/sts/{tenantid}/`;
  const aadV2Template = () => `${base}/aad/{tenantid}/v2.0`;

  const sign = async (
    kind: TokenKind,
    mint: MintTokenOptions,
    signer: CryptoKey,
  ): Promise<string> => {
    if (typeof mint.audience !== 'string' || mint.audience === '') {
      throw new EmulatorError(
        'invalid_options',
        'mintToken needs a non-empty `audience` (the bot app id)',
      );
    }
    const key = kind === 'botframework' ? keys.botframework : keys.aad;
    const tid = mint.tenantId ?? tenantId;
    const lifetime = mint.lifetimeSeconds ?? (kind === 'botframework' ? 300 : 3600);
    const now = Math.floor(Date.now() / 1000);
    const exp = mint.expired === true ? now - 900 : now + lifetime;
    const nbf = exp - lifetime;
    let claims: Record<string, unknown>;
    let header: Record<string, unknown>;
    if (kind === 'botframework') {
      // Skype-issued tokens as seen on the wire: no iat, 5 minutes, cty JWT.
      header = { alg: 'RS256', kid: key.kid, typ: 'JWT', cty: 'JWT' };
      claims = {
        iss: botFrameworkIssuer(),
        aud: mint.audience,
        nbf,
        exp,
        appid: CALLING_SERVICE_APP_ID,
        tid,
        serviceurl: `${base}/`,
      };
    } else {
      header = { alg: 'RS256', kid: key.kid, typ: 'JWT' };
      const common = {
        aud: mint.audience,
        iat: nbf,
        nbf,
        exp,
        tid,
        oid: '3c6e2b4f-8f4f-4b5e-9a53-5f0bd1b0a3c1',
        sub: '3c6e2b4f-8f4f-4b5e-9a53-5f0bd1b0a3c1',
        idtyp: 'app',
        uti: randomBytes(16).toString('base64url'),
      };
      claims =
        kind === 'aad-v1'
          ? {
              ...common,
              iss: aadV1Template().replace('{tenantid}', tid),
              idp: aadV1Template().replace('{tenantid}', tid),
              appid: CALLING_SERVICE_APP_ID,
              appidacr: '2',
              ver: '1.0',
            }
          : {
              ...common,
              iss: aadV2Template().replace('{tenantid}', tid),
              azp: CALLING_SERVICE_APP_ID,
              azpacr: '2',
              ver: '2.0',
            };
    }
    return new SignJWT({ ...claims, ...mint.claims })
      .setProtectedHeader(header as { alg: string })
      .sign(signer);
  };

  const mintToken = (mint: MintTokenOptions) => {
    const kind = mint.kind ?? 'botframework';
    return sign(kind, mint, (kind === 'botframework' ? keys.botframework : keys.aad).privateKey);
  };
  const mintForgedToken = (kind: TokenKind, audience: string) =>
    sign(kind, { kind, audience }, forgerKey);

  const route = async (req: {
    method: string;
    path: string;
    body: string;
  }): Promise<ServerReply> => {
    const { method, path } = req;
    if (method === 'GET' && path === '/botframework/.well-known/OpenIdConfiguration') {
      stats.botFrameworkMetadataFetches++;
      return {
        status: 200,
        body: {
          issuer: botFrameworkIssuer(),
          authorization_endpoint: `${base}/botframework/authorize`,
          jwks_uri: `${base}/botframework/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_signing_alg_values_supported: ['RS256'],
        },
      };
    }
    if (method === 'GET' && path === '/botframework/keys') {
      stats.botFrameworkKeyFetches++;
      return { status: 200, body: { keys: [keys.botframework.publicJwk] } };
    }
    const aadMetadata = /^\/aad\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (method === 'GET' && aadMetadata) {
      stats.aadMetadataFetches++;
      const tenant = decodeURIComponent(aadMetadata[1] ?? 'common');
      const shownTenant = tenant === 'common' ? '{tenantid}' : tenant;
      return {
        status: 200,
        body: {
          issuer: aadV2Template().replace('{tenantid}', shownTenant),
          token_endpoint: `${base}/aad/${tenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/aad/${tenant}/oauth2/v2.0/authorize`,
          jwks_uri: `${base}/aad/${tenant}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          tenant_region_scope: null,
        },
      };
    }
    if (method === 'GET' && /^\/aad\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) {
      stats.aadKeyFetches++;
      // Real AAD keys carry the v2 issuer template they sign for.
      return {
        status: 200,
        body: { keys: [{ ...keys.aad.publicJwk, issuer: aadV2Template() }] },
      };
    }
    if (method === 'GET' && path === '/_emulator/info') {
      return { status: 200, body: { url: base, appId, tenantId, issuers: issuers() } };
    }
    if (method === 'POST' && path === '/_emulator/token') {
      const request = parseJson(req.body);
      if (typeof request !== 'object' || request === null) {
        return { status: 400, body: { error: 'expected a JSON object' } };
      }
      const mint = request as MintTokenOptions & { forged?: boolean };
      const kind = mint.kind ?? 'botframework';
      if (!['botframework', 'aad-v1', 'aad-v2'].includes(kind)) {
        return { status: 400, body: { error: `unknown token kind ${String(kind)}` } };
      }
      const audience = typeof mint.audience === 'string' ? mint.audience : appId;
      const token =
        mint.forged === true
          ? await mintForgedToken(kind, audience)
          : await mintToken({ ...mint, kind, audience });
      return { status: 200, body: { token } };
    }
    return { status: 404, body: { error: `no such endpoint: ${method} ${path}` } };
  };

  const server = await startLoopbackServer(route, { host: options.host, port: options.port });
  base = server.url;

  const issuers = (): DevIssuerProfile[] => devIssuerProfiles(base);

  return {
    url: base,
    appId,
    tenantId,
    issuers: issuers(),
    stats,
    mintToken,
    mintForgedToken,
    async rotateKeys() {
      [keys.botframework, keys.aad] = await Promise.all([
        newSigningKey('dev-skype'),
        newSigningKey('dev-aad'),
      ]);
    },
    async verifyAccessToken(token, verify = {}) {
      const { payload } = await jwtVerify(token, keys.aad.publicKey, {
        algorithms: ['RS256'],
        clockTolerance: 300,
        requiredClaims: ['exp', 'tid'],
        ...(verify.audience ? { audience: verify.audience } : {}),
      });
      const tid = String(payload.tid);
      const accepted = [aadV1Template(), aadV2Template()].map((t) => t.replace('{tenantid}', tid));
      if (!accepted.includes(String(payload.iss))) {
        throw new EmulatorError('invalid_options', `unexpected issuer ${String(payload.iss)}`);
      }
      return payload;
    },
    close: () => server.close(),
  };
}
