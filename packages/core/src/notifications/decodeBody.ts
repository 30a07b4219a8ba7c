import { measureParsedBody } from '../http/measureParsedBody';
import { NotificationError } from './NotificationError';
import { utf8ByteLength } from '../http/utf8ByteLength';

/** Limits that bound the work a body can cause before it is trusted as a notification. */
export interface DecodeLimits {
  maxBytes: number;
  maxDepth: number;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const BOM = '\uFEFF';
/** fatal: a mis-declared charset must fail loudly, not turn into U+FFFD soup. Stateless between calls. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns a request body into a JSON value exactly once: bytes are decoded as
 * strict UTF-8, text is parsed, an already parsed value is taken as it is
 * (its size measured as the compact JSON it stands for, up to the limit).
 * Size and depth are checked before any parsing, so a hostile body costs one
 * linear scan and never a deep recursion.
 */
export function decodeBody(body: unknown, limits: DecodeLimits): unknown {
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    if (body.byteLength > limits.maxBytes) throw tooLarge(body.byteLength, limits.maxBytes);
    return parseText(decodeUtf8(body), limits.maxDepth);
  }
  if (typeof body === 'string') {
    const size = utf8Length(body, limits.maxBytes);
    if (size > limits.maxBytes) throw tooLarge(size, limits.maxBytes, 'at least ');
    return parseText(body.startsWith(BOM) ? body.slice(1) : body, limits.maxDepth);
  }
  if (Number.isFinite(limits.maxDepth)) checkValueDepth(body, limits.maxDepth);
  // A body parser ran first: its value is measured as the JSON it stands for.
  if (Number.isFinite(limits.maxBytes)) {
    const size = measureParsedBody(body, limits.maxBytes);
    if (size > limits.maxBytes) throw tooLarge(size, limits.maxBytes, 'as parsed, at least ');
  }
  return body;
}

function decodeUtf8(bytes: Uint8Array | ArrayBuffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch (cause) {
    throw new NotificationError(
      'invalid_encoding',
      'The body is not valid UTF-8: was it sent in another charset, or compressed (gzip) and not decompressed before reaching callgate?',
      { cause },
    );
  }
}

function parseText(text: string, maxDepth: number): unknown {
  checkTextDepth(text, maxDepth);
  try {
    return JSON.parse(text);
  } catch (cause) {
    if (cause instanceof RangeError) throw tooDeep(maxDepth, cause);
    throw new NotificationError(
      'invalid_json',
      text.trim() === ''
        ? 'The body is empty: did a body parser consume the stream before callgate read it?'
        : 'The body is not valid JSON: was it truncated, or sent form-encoded instead of as application/json?',
      { cause },
    );
  }
}

/**
 * Counts bracket nesting outside strings. Runs on text that may not be JSON at
 * all; it only has to be right for text that is, and finite for any text.
 */
function checkTextDepth(text: string, maxDepth: number): void {
  // Nesting never exceeds the number of brackets: most bodies are cleared by a few indexOf calls.
  if (countOpenBrackets(text, maxDepth) <= maxDepth) return;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > maxDepth) throw tooDeep(maxDepth);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
}

/** `{` and `[` in `text`, strings included, counted up to `limit + 1`. */
function countOpenBrackets(text: string, limit: number): number {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) {
      if (++count > limit) return count;
    }
  }
  return count;
}

/**
 * Depth of an already parsed value, walked with an explicit stack. A node seen
 * again is walked again only when reached deeper, so shared subtrees cost
 * little and a cycle ends as `too_deep` instead of looping.
 */
function checkValueDepth(value: unknown, maxDepth: number): void {
  const deepestSeen = new Map<object, number>();
  const stack: Array<[unknown, number]> = [[value, 1]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, depth] = entry;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > maxDepth) throw tooDeep(maxDepth);
    const seen = deepestSeen.get(node);
    if (seen !== undefined && seen >= depth) continue;
    deepestSeen.set(node, depth);
    for (const child of Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
}

/** UTF-8 length of a string, exact up to `limit`; any result above it means "too large". */
function utf8Length(text: string, limit: number): number {
  // Every UTF-16 unit takes 1 to 3 bytes, so most bodies are decided without counting.
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length;
  return utf8ByteLength(text);
}

function tooLarge(size: number, maxBytes: number, qualifier = ''): NotificationError {
  return new NotificationError(
    'too_large',
    `The body is ${qualifier}${size} bytes, more than maxBytes (${maxBytes}): real notifications are a few kilobytes; raise maxBytes if a legitimate one is refused.`,
  );
}

function tooDeep(maxDepth: number, cause?: unknown): NotificationError {
  return new NotificationError(
    'too_deep',
    `The body nests deeper than maxDepth (${maxDepth}) levels: real notifications nest about ten; raise maxDepth if a legitimate one is refused.`,
    cause === undefined ? {} : { cause },
  );
}
