import { randomUUID } from 'node:crypto';

/** The calling service's User-Agent. */
export const SERVICE_USER_AGENT = 'Microsoft-Skype/3.0,(Calling/1.0)';

/** The headers the calling service puts on one POST of a notification. */
export function serviceHeaders(input: {
  chainId: string;
  messageId: string;
  scenarioId: string;
  token: string | undefined;
}): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': SERVICE_USER_AGENT,
    'x-microsoft-skype-chain-id': input.chainId,
    'x-microsoft-skype-message-id': input.messageId,
    'scenario-id': input.scenarioId,
    'client-request-id': randomUUID(),
    ...(input.token === undefined ? {} : { authorization: `Bearer ${input.token}` }),
  };
}

/** How one POST of a notification ended. */
export interface SendOutcome {
  /** null: no answer (timeout, connection refused). */
  status: number | null;
  location?: string;
  /** The `code` of the bot's error body (e.g. `wrong_audience` in a problem+json answer). */
  code?: string;
  /** Why no answer came. */
  error?: string;
  durationMs: number;
}

const maxErrorBodyChars = 64 * 1024;

/** POSTs one notification once, reading the `code` of an error answer. */
export async function sendNotification(
  url: string,
  text: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendOutcome> {
  const sent = Date.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: text,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const location = response.headers.get('location') ?? undefined;
    const code = response.status >= 400 ? await errorCode(response) : undefined;
    if (!response.bodyUsed) await response.body?.cancel();
    return {
      status: response.status,
      durationMs: Date.now() - sent,
      ...(location === undefined ? {} : { location }),
      ...(code === undefined ? {} : { code }),
    };
  } catch (cause) {
    return {
      status: null,
      durationMs: Date.now() - sent,
      error:
        cause instanceof Error && cause.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : `request failed: ${(cause as Error & { cause?: Error }).cause?.message ?? String(cause)}`,
    };
  }
}

async function errorCode(response: Response): Promise<string | undefined> {
  if (!/json/i.test(response.headers.get('content-type') ?? '')) return undefined;
  try {
    const text = (await response.text()).slice(0, maxErrorBodyChars);
    const body = JSON.parse(text) as { code?: unknown; error?: { code?: unknown } | unknown };
    if (typeof body.code === 'string') return body.code;
    const nested = (body.error as { code?: unknown } | undefined)?.code;
    return typeof nested === 'string' ? nested : undefined;
  } catch {
    return undefined;
  }
}
