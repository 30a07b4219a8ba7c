import { base64url } from 'jose';

/**
 * The one signature primitive callgate needs: RSASSA-PKCS1-v1_5 with SHA-256
 * (JWS `RS256`) over the ASCII signing input of a compact JWS.
 *
 * Two implementations of the same check, chosen once per process:
 *
 * - **node:crypto** (`crypto.verify`, synchronous), when the runtime hands out
 *   its built-in modules through `process.getBuiltinModule` (Node 20.16+, 22.3+,
 *   and runtimes that mimic it). The core still imports no `node:*` module, so
 *   it keeps running where there is none.
 * - **WebCrypto** (`crypto.subtle.verify`), everywhere else.
 *
 * Why not always WebCrypto: on Node an awaited `crypto.subtle.verify` queues a
 * job on libuv's thread pool and wakes the event loop when it is done; that
 * hop costs 3–4× the signature check itself (see docs/benchmarks.md, "the
 * WebCrypto floor"). The synchronous check blocks the event loop for the
 * check alone (≈ 30 µs for a 2048-bit key), once per fresh token: the calling
 * service reuses a token for many notifications, and the verified-token cache
 * answers those.
 */
export interface Rs256 {
  /** Which implementation this is (reported by the verifier's stats and tests). */
  readonly name: 'node:crypto' | 'webcrypto';
  /**
   * The form of `key` this implementation checks with, made once per key at
   * import; `undefined` when it cannot use this key (the caller then falls
   * back to WebCrypto).
   */
  prepare(key: CryptoKey): unknown;
  /**
   * True when `signature` (base64url, as in a compact JWS) is `key`'s RS256
   * signature of the ASCII `signingInput`. False for a bad or undecodable
   * signature; never throws.
   */
  verify(prepared: unknown, signingInput: string, signature: string): boolean | Promise<boolean>;
}

const RSASSA = { name: 'RSASSA-PKCS1-v1_5' } as const;

const ascii = new TextEncoder();

/** `crypto.subtle.verify`: any runtime with WebCrypto; jose decodes the signature. */
export const webCryptoRs256: Rs256 = {
  name: 'webcrypto',
  prepare: (key) => key,
  async verify(prepared, signingInput, signature) {
    try {
      return await crypto.subtle.verify(
        RSASSA,
        prepared as CryptoKey,
        base64url.decode(signature) as Uint8Array<ArrayBuffer>,
        ascii.encode(signingInput),
      );
    } catch {
      return false;
    }
  },
};

/** The parts of node:crypto and node:buffer used here, as the runtime hands them out. */
interface NodeBuiltins {
  crypto: {
    verify(algorithm: string, data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
    KeyObject: { from(key: CryptoKey): unknown };
  };
  bytes: { from(text: string, encoding: 'base64url' | 'latin1'): Uint8Array };
}

/**
 * node:crypto's synchronous `verify` with a `KeyObject` made from the imported
 * CryptoKey; node:buffer decodes (the caller has checked the characters: a
 * compact JWS is base64url, so its signing input is ASCII).
 */
export function nodeCryptoRs256({ crypto: nodeCrypto, bytes }: NodeBuiltins): Rs256 {
  return {
    name: 'node:crypto',
    prepare(key) {
      try {
        return nodeCrypto.KeyObject.from(key);
      } catch {
        return undefined;
      }
    },
    verify(prepared, signingInput, signature) {
      try {
        // An RSA public KeyObject verifies PKCS #1 v1.5 padding unless told otherwise.
        return nodeCrypto.verify(
          'sha256',
          bytes.from(signingInput, 'latin1'),
          prepared,
          bytes.from(signature, 'base64url'),
        );
      } catch {
        return false;
      }
    },
  };
}

/** node:buffer's byte class, read by name from the module the runtime hands out (never the global). */
const BUFFER_CLASS = 'Buffer';

/** node:crypto when the runtime offers it through `process.getBuiltinModule`, else WebCrypto. */
export function platformRs256(): Rs256 {
  const builtins = nodeBuiltins();
  return builtins === undefined ? webCryptoRs256 : nodeCryptoRs256(builtins);
}

function nodeBuiltins(): NodeBuiltins | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  if (typeof runtime?.getBuiltinModule !== 'function') return undefined;
  try {
    const crypto = runtime.getBuiltinModule('node:crypto') as
      | Partial<NodeBuiltins['crypto']>
      | undefined;
    const buffer = runtime.getBuiltinModule('node:buffer') as Record<string, unknown> | undefined;
    const bytes = buffer?.[BUFFER_CLASS] as Partial<NodeBuiltins['bytes']> | undefined;
    if (
      typeof crypto?.verify === 'function' &&
      typeof crypto.KeyObject?.from === 'function' &&
      typeof bytes?.from === 'function'
    ) {
      return { crypto: crypto as NodeBuiltins['crypto'], bytes: bytes as NodeBuiltins['bytes'] };
    }
  } catch {
    // A runtime that refuses the modules has WebCrypto.
  }
  return undefined;
}
