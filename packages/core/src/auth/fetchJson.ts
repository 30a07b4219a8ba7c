import { isAllowedKeyUrl } from './isAllowedKeyUrl';

/** Largest metadata or JWKS document read; real ones are a few KiB. */
export const MAX_KEY_DOCUMENT_BYTES = 256 * 1024;

/** Why a metadata or key request failed; the message names the URL and the cause. */
export class KeyFetchError extends Error {
  override readonly name = 'KeyFetchError';
}

/**
 * GETs a JSON document for the key cache: `https:` (or loopback) only, no
 * redirects (a response that was redirected anyway, by a `fetchFn` that
 * follows them, is refused), at most {@link MAX_KEY_DOCUMENT_BYTES}, and settled within
 * `timeoutMs` even when `fetchFn` ignores its abort signal.
 *
 * @throws {KeyFetchError} on any failure; never hangs.
 * @example
 * ```ts
 * const metadata = await fetchJson(fetch, 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration', 5000);
 * ```
 */
export async function fetchJson(
  fetchFn: typeof fetch,
  url: string,
  timeoutMs: number,
): Promise<unknown> {
  if (!isAllowedKeyUrl(url)) {
    throw new KeyFetchError(`refused ${url}: key URLs must be https: (http: only on loopback)`);
  }
  const signal = AbortSignal.timeout(timeoutMs);
  const request = (async () => {
    const response = await fetchFn(url, {
      method: 'GET',
      redirect: 'error',
      signal,
      headers: { accept: 'application/json' },
    });
    // A custom fetch may follow redirects anyway: a redirected answer is refused,
    // whatever its target (keys come from the configured URL or not at all).
    if (wasRedirected(response, url)) {
      await discard(response);
      throw new KeyFetchError(
        `${url} was redirected${response.url === '' ? '' : ` to ${response.url}`}; redirects are refused`,
      );
    }
    if (response.status !== 200) {
      await discard(response);
      throw new KeyFetchError(`${url} answered HTTP ${response.status}`);
    }
    const text = await readCapped(response, url);
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new KeyFetchError(`${url} did not answer JSON`, { cause });
    }
  })();
  return settleWithin(request, signal, url);
}

/** Whether `response` is not the answer of `url` itself (`redirected`, or another final URL). */
function wasRedirected(response: Response, url: string): boolean {
  if (response.redirected) return true;
  if (response.url === '') return false;
  return response.url !== url && response.url !== new URL(url).href;
}

function settleWithin<T>(work: Promise<T>, signal: AbortSignal, url: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new KeyFetchError(`${url} timed out`, { cause: signal.reason }));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(
          error instanceof KeyFetchError
            ? error
            : new KeyFetchError(`${url} could not be fetched`, { cause: error }),
        );
      },
    );
  });
}

async function readCapped(response: Response, url: string): Promise<string> {
  const tooLarge = () =>
    new KeyFetchError(`${url} answered more than ${MAX_KEY_DOCUMENT_BYTES} bytes`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_KEY_DOCUMENT_BYTES) {
    await discard(response);
    throw tooLarge();
  }
  if (response.body === null) {
    const text = await response.text();
    if (text.length > MAX_KEY_DOCUMENT_BYTES) throw tooLarge();
    return text;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > MAX_KEY_DOCUMENT_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}
