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
  /** True when `signature` is `key`'s RS256 signature of `signingInput`. Never throws for a bad signature. */
  verify(
    prepared: unknown,
    signingInput: Uint8Array,
    signature: Uint8Array,
  ): boolean | Promise<boolean>;
}

const RSASSA = { name: 'RSASSA-PKCS1-v1_5' } as const;

/** `crypto.subtle.verify`: any runtime with WebCrypto. */
export const webCryptoRs256: Rs256 = {
  name: 'webcrypto',
  prepare: (key) => key,
  async verify(prepared, signingInput, signature) {
    try {
      return await crypto.subtle.verify(
        RSASSA,
        prepared as CryptoKey,
        signature as Uint8Array<ArrayBuffer>,
        signingInput as Uint8Array<ArrayBuffer>,
      );
    } catch {
      return false;
    }
  },
};

/** The parts of node:crypto used here, as the runtime hands them out. */
interface NodeCrypto {
  verify(algorithm: string, data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
  KeyObject: { from(key: CryptoKey): unknown };
}

/** node:crypto's synchronous `verify` with a `KeyObject` made from the imported CryptoKey. */
export function nodeCryptoRs256(nodeCrypto: NodeCrypto): Rs256 {
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
        return nodeCrypto.verify('sha256', signingInput, prepared, signature);
      } catch {
        return false;
      }
    },
  };
}

/** node:crypto when the runtime offers it through `process.getBuiltinModule`, else WebCrypto. */
export function platformRs256(): Rs256 {
  const nodeCrypto = builtinNodeCrypto();
  return nodeCrypto === undefined ? webCryptoRs256 : nodeCryptoRs256(nodeCrypto);
}

function builtinNodeCrypto(): NodeCrypto | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  if (typeof runtime?.getBuiltinModule !== 'function') return undefined;
  try {
    const candidate = runtime.getBuiltinModule('node:crypto') as Partial<NodeCrypto> | undefined;
    if (
      typeof candidate?.verify === 'function' &&
      typeof candidate.KeyObject?.from === 'function'
    ) {
      return candidate as NodeCrypto;
    }
  } catch {
    // A runtime that refuses the module has WebCrypto.
  }
  return undefined;
}
