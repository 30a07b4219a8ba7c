import { EmulatorError } from './EmulatorError';
import type { DevIssuerProfile } from './issuerProfile';
import type { MintTokenOptions, TokenKind, TokenMinter } from './startDevIssuer';

/** A dev issuer running in another process (`callgate-emulator serve`). */
export interface RemoteDevIssuer extends TokenMinter {
  readonly url: string;
  readonly appId: string;
  readonly issuers: DevIssuerProfile[];
}

/**
 * Connects to the dev issuer of a running `callgate-emulator serve`, to mint
 * tokens with its keys from another process.
 *
 * @example
 * ```ts
 * const issuer = await connectDevIssuer('http://127.0.0.1:4000');
 * const token = await issuer.mintToken({ audience: issuer.appId });
 * ```
 */
export async function connectDevIssuer(url: string): Promise<RemoteDevIssuer> {
  const base = url.replace(/\/+$/, '');
  const info = (await call(base, 'GET', '/_emulator/info')) as {
    url: string;
    appId: string;
    tenantId: string;
    issuers: DevIssuerProfile[];
  };
  const mint = async (request: Record<string, unknown>) => {
    const reply = (await call(base, 'POST', '/_emulator/token', request)) as { token?: unknown };
    if (typeof reply.token !== 'string') {
      throw new EmulatorError('emulator_refused', `${base} answered without a token`);
    }
    return reply.token;
  };
  return {
    url: info.url,
    appId: info.appId,
    tenantId: info.tenantId,
    issuers: info.issuers,
    mintToken: (options: MintTokenOptions) => mint({ ...options }),
    mintForgedToken: (kind: TokenKind, audience: string) => mint({ kind, audience, forged: true }),
  };
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new EmulatorError(
      'emulator_unreachable',
      `No dev issuer answers at ${base}: is \`callgate-emulator serve\` running there?`,
      { cause: error },
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw new EmulatorError(
      'emulator_refused',
      `${base}${path} answered ${response.status}; is ${base} a callgate-emulator dev issuer? ${text.slice(0, 200)}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new EmulatorError('emulator_refused', `${base}${path} did not answer JSON`, {
      cause: error,
    });
  }
}
