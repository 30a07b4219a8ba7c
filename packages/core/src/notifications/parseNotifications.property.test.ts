import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyNotification } from './classifyNotification';
import { CALL_EVENT_TYPES } from './events';
import { NotificationError, type NotificationErrorCode } from './NotificationError';
import { fixture, fixtureNames } from '../../test/support/fixtures';
import { parseNotifications } from './parseNotifications';

const fixtures: unknown[] = fixtureNames().map(fixture);

const CODES: readonly NotificationErrorCode[] = [
  'invalid_encoding',
  'invalid_json',
  'not_an_object',
  'not_a_notification',
  'invalid_value',
  'invalid_item',
  'missing_resource',
  'too_deep',
  'too_large',
];

/** An assertion cheap enough to run thousands of times (vitest's expect is not). */
function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const PATH = /^\$(\.value(\[\d+\](\.resource(Url)?)?)?)?$/;

/**
 * The contract every body must meet: parseNotifications either reads it into
 * well-formed notifications that agree with classifyNotification, or throws a
 * NotificationError with a known code and a JSON path. Nothing else escapes.
 */
function expectParsedOrRefused(body: unknown): 'parsed' | 'refused' {
  const format = classifyNotification(body);
  check(['graph', 'legacy', 'unknown'].includes(format), `classified as ${format}`);
  let parsed: ReturnType<typeof parseNotifications>;
  try {
    parsed = parseNotifications(body);
  } catch (error) {
    check(error instanceof NotificationError, `threw ${String(error)}`);
    check(CODES.includes(error.code), `unknown code ${error.code}`);
    check(PATH.test(error.path), `unexpected path ${error.path}`);
    check(error.status === (error.code === 'too_large' ? 413 : 400), `status ${error.status}`);
    return 'refused';
  }
  check(parsed.format === format, `parsed as ${parsed.format}, classified as ${format}`);
  if (parsed.format === 'legacy') return 'parsed';
  const items = parsed.raw.value as unknown[];
  check(parsed.events.length === items.length, 'one event per item');
  parsed.events.forEach((event, index) => {
    check(CALL_EVENT_TYPES.includes(event.type), `event type ${event.type}`);
    check(typeof event.resource === 'string', 'resource is a string');
    check(event.callId === undefined || typeof event.callId === 'string', 'callId');
    check(event.raw === items[index], 'raw is the item as received');
  });
  return 'parsed';
}

/** Every body in its three forms: the parsed value, its JSON text, its UTF-8 bytes. */
function expectAllForms(value: unknown): 'parsed' | 'refused' {
  const outcome = expectParsedOrRefused(value);
  const text = JSON.stringify(value);
  check(expectParsedOrRefused(text) === outcome, 'text reads as the value does');
  check(
    expectParsedOrRefused(new TextEncoder().encode(text)) === outcome,
    'bytes read as the value does',
  );
  return outcome;
}

type Mutation = { at: number; kind: 'delete' | 'replace' | 'recase'; value: unknown };

/** Every (container, key) slot under the root, depth first. */
function slots(root: unknown): Array<[Record<string, unknown> | unknown[], string | number]> {
  const found: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const stack = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (typeof node !== 'object' || node === null) continue;
    const entries = Array.isArray(node)
      ? node.map((child, index) => [index, child] as const)
      : Object.entries(node);
    for (const [key, child] of entries) {
      found.push([node as Record<string, unknown>, key]);
      stack.push(child);
    }
  }
  return found;
}

function mutate(fixture: unknown, mutations: Mutation[]): unknown {
  const root = structuredClone(fixture);
  for (const { at, kind, value } of mutations) {
    const all = slots(root);
    if (all.length === 0) break;
    const [container, key] = all[at % all.length]!;
    if (kind === 'delete') {
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete container[key];
    } else {
      const current = (container as Record<string, unknown>)[key];
      const next = kind === 'recase' && typeof current === 'string' ? flipCase(current) : value;
      // defineProperty: a generated "__proto__" key must stay an own property here too.
      Object.defineProperty(container, key, {
        value: next,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
  return root;
}

function flipCase(text: string): string {
  return [...text]
    .map((char, i) => (i % 2 === 0 ? char.toUpperCase() : char.toLowerCase()))
    .join('');
}

/** Any text: printable ASCII, JSON punctuation included, and any UTF-16 (lone surrogates too). */
const anyText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 300 })
    .map((units) => String.fromCharCode(...units)),
);

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'replace', 'recase'),
  value: fc.jsonValue({ maxDepth: 3 }),
});

describe('parseNotifications on arbitrary input (property-based)', () => {
  it('reads or refuses any JSON value, as a value, as text and as bytes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectAllForms(value);
      }),
      { numRuns: 500 },
    );
  });

  it('reads or refuses any graph-shaped body of arbitrary items', () => {
    const items = fc.array(
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record(
          {
            changeType: fc.oneof(fc.constantFrom('created', 'Updated', 'DELETED'), fc.jsonValue()),
            resource: fc.oneof(
              fc.constantFrom('/app/calls/a', '/app/calls/a/participants'),
              fc.jsonValue(),
            ),
            resourceUrl: fc.oneof(
              fc.constantFrom('/communications/calls/a', '/communications/calls/a/operations/o'),
              fc.string(),
            ),
            resourceData: fc.jsonValue({ maxDepth: 3 }),
          },
          { requiredKeys: [] },
        ),
      ),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(items, (value) => {
        expectAllForms({ value });
      }),
      { numRuns: 500 },
    );
  });

  it('reads or refuses fixtures with subtrees deleted, replaced and recased', () => {
    const seen = { parsed: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (fixture, mutations) => {
          seen[expectAllForms(mutate(fixture, mutations))]++;
        },
      ),
      { numRuns: 600 },
    );
    // Both outcomes occur, so the property exercised the reader and the refusals.
    expect(seen.parsed).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it('refuses or reads any bytes and any text, and classify never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectParsedOrRefused(bytes);
      }),
      {
        numRuns: 500,
      },
    );
    fc.assert(
      fc.property(anyText, (text) => {
        expectParsedOrRefused(text);
      }),
      {
        numRuns: 500,
      },
    );
  });

  it('refuses or reads fixture bytes with random bytes overwritten', () => {
    const encoded = fixtures.map((fixture) => new TextEncoder().encode(JSON.stringify(fixture)));
    fc.assert(
      fc.property(
        fc.constantFrom(...encoded),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (original, flips) => {
          const bytes = original.slice();
          for (const [at, byte] of flips) bytes[at % bytes.length] = byte;
          expectParsedOrRefused(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses or reads any JavaScript value a body parser could hand over', () => {
    const anything = fc.anything({
      withNullPrototype: true,
      withSparseArray: true,
      withTypedArray: true,
      withMap: true,
      withSet: true,
      withDate: true,
      withBigInt: true,
      withBoxedValues: true,
    });
    fc.assert(
      fc.property(fc.oneof(anything, fc.record({ value: fc.array(anything) })), (value) => {
        expectParsedOrRefused(value);
      }),
      { numRuns: 500 },
    );
  });
});
