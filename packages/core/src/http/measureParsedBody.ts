import { utf8ByteLength } from './utf8ByteLength';
// Any UTF-16 code unit past ASCII.
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * The size in bytes of the compact JSON text an already parsed body stands
 * for (UTF-8, escapes not counted), counted only up to `limit`: the walk stops
 * as soon as the count passes it, so a huge, shared or cyclic value costs at
 * most about `limit` steps. Any result above `limit` means "larger than the limit".
 *
 * A body parser that ran before callgate read and parsed the body; this is what
 * lets `limits.maxBodyBytes` still apply to what it produced (whitespace of the
 * original text is not counted, so the measure never exceeds the text's size).
 *
 * @example
 * ```ts
 * measureParsedBody({ value: [] }, 1024); // 12, the length of {"value":[]}
 * measureParsedBody(hugeParsedBody, 1024) > 1024; // true, after about 1024 steps
 * ```
 */
export function measureParsedBody(value: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    switch (typeof node) {
      case 'string':
        size += utf8Size(node) + 2;
        break;
      case 'number':
      case 'bigint':
        size += String(node).length;
        break;
      case 'boolean':
        size += node ? 4 : 5;
        break;
      case 'object':
        if (node === null) {
          size += 4;
        } else if (Array.isArray(node)) {
          // Brackets and commas.
          size += Math.max(2, node.length + 1);
          for (let i = node.length - 1; i >= 0 && size <= limit; i--) stack.push(node[i]);
        } else {
          // Braces, then per member: quotes, colon, and a comma (one fewer than members).
          let members = 0;
          for (const key in node) {
            if (!Object.hasOwn(node, key)) continue;
            members += 1;
            size += utf8Size(key) + 4;
            stack.push((node as Record<string, unknown>)[key]);
            if (size > limit) break;
          }
          size += members === 0 ? 2 : 1;
        }
        break;
      default:
        // undefined, functions, symbols: JSON leaves them out.
        break;
    }
    if (size > limit) return size;
  }
  return size;
}

function utf8Size(text: string): number {
  return NON_ASCII.test(text) ? utf8ByteLength(text) : text.length;
}
