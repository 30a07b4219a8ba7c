/**
 * One spelling of a Graph id: Graph writes the same call or operation id as
 * `0FE0623F-…` in responses and as `0fe0623f…` (no dashes) in some
 * notification URLs. Lower-cased, dashes removed; compare ids only in this form.
 *
 * @example
 * ```ts
 * canonicalCallId('2F1A1100-726F-4705-A6B2-D1A1D4A0E2E9') === canonicalCallId('2f1a1100726f4705a6b2d1a1d4a0e2e9'); // true
 * ```
 */
export function canonicalCallId(id: string): string {
  return id.replaceAll('-', '').toLowerCase();
}
