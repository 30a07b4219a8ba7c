import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/support/fixtures';
import { type CallEvent, parseNotifications } from '../notifications/index';
import { decide } from './decide';
import { selectByCallerRegion } from './selectByCallerRegion';
import { selectByTenant } from './selectByTenant';
import type { RegionRoutingOptions, RoutingOptions } from './types';

function eventsOf(name: string): CallEvent[] {
  const parsed = parseNotifications(fixtureText(name));
  if (parsed.format !== 'graph') throw new Error(`${name} is not a Graph fixture`);
  return parsed.events;
}

const incoming = eventsOf('graph-incoming-call-p2p');
const established = eventsOf('graph-call-established');
const deployments = {
  emea: 'https://emea.bot.example/api/calls',
  amer: 'https://amer.bot.example/api/calls',
};
const region = (select: RegionRoutingOptions['select']): RoutingOptions => ({
  region: { self: 'emea', deployments, select },
});

describe('decide', () => {
  it('answers a legacy body with 204, whatever the routing', () => {
    const decision = decide({ format: 'legacy', events: [], routing: region(() => 'amer') });
    expect(decision).toMatchObject({ action: 'ignore-legacy', status: 204 });
    expect(decision.reason).toMatch(/legacy/);
  });

  it('accepts when no routing is configured', () => {
    expect(decide({ format: 'graph', events: incoming })).toMatchObject({
      action: 'accept',
      status: 202,
    });
  });

  it('redirects an incoming call that select assigns to another deployment', () => {
    const decision = decide({ format: 'graph', events: incoming, routing: region(() => 'amer') });
    expect(decision).toEqual({
      action: 'redirect',
      status: 302,
      location: 'https://amer.bot.example/api/calls',
      target: { kind: 'region', deployment: 'amer' },
      reason:
        "incoming call 57DAB8B1894C409AB240BD8BEAE78896: belongs to deployment 'amer', not 'emea'",
    });
  });

  it('never redirects anything but an incoming call', () => {
    let asked = 0;
    const decision = decide({
      format: 'graph',
      events: established,
      routing: region(() => {
        asked++;
        return 'amer';
      }),
    });
    expect(decision.action).toBe('accept');
    expect(asked).toBe(0);
  });

  it.each<[string, RegionRoutingOptions['select'], string | undefined]>([
    ['self', () => 'emea', undefined],
    ['undefined', () => undefined, undefined],
    ['null', () => null, undefined],
    ['an unknown name', () => 'apac', 'not a key of routing.region.deployments'],
    ['an inherited property name', () => 'toString', 'not a key of routing.region.deployments'],
    [
      'a throw',
      () => {
        throw new Error('tenant lookup failed');
      },
      'tenant lookup failed',
    ],
  ])('accepts locally when select answers %s, and says why', (_name, select, problem) => {
    const decision = decide({ format: 'graph', events: incoming, routing: region(select) });
    expect(decision.action).toBe('accept');
    expect(decision.reason).toMatch(/incoming call 57DAB8B1894C409AB240BD8BEAE78896/);
    if (problem === undefined) expect(decision.problem).toBeUndefined();
    else expect(decision.problem).toContain(problem);
  });

  it('gives select the verified tenant, the caller-region header and self', () => {
    const seen: unknown[] = [];
    decide({
      format: 'graph',
      events: incoming,
      tenantId: 'tenant-a',
      headers: { 'x-microsoft-skype-caller-region': 'EUNO' },
      routing: region((_call, context) => {
        seen.push({
          tenantId: context.tenantId,
          callerRegion: context.callerRegion,
          self: context.self,
        });
        return undefined;
      }),
    });
    expect(seen).toEqual([{ tenantId: 'tenant-a', callerRegion: 'EUNO', self: 'emea' }]);
  });

  describe('partitions', () => {
    const partition = (misrouted: 'accept' | 'redirect' | 'reject') => ({
      partition: {
        self: 'p1',
        url: (name: string) => `https://bot.example.com/calls/${name}`,
        misrouted,
      },
    });

    it('accepts a notification for its own partition under every policy', () => {
      for (const policy of ['accept', 'redirect', 'reject'] as const) {
        expect(
          decide({
            format: 'graph',
            events: established,
            partition: 'p1',
            routing: partition(policy),
          }).action,
        ).toBe('accept');
      }
    });

    it('applies the misrouted policy to another partition', () => {
      expect(
        decide({
          format: 'graph',
          events: established,
          partition: 'p2',
          routing: partition('accept'),
        }),
      ).toMatchObject({
        action: 'accept',
        reason: expect.stringMatching(/partition 'p2'.*'p1'/),
      });
      expect(
        decide({
          format: 'graph',
          events: established,
          partition: 'p2',
          routing: partition('redirect'),
        }),
      ).toMatchObject({
        action: 'redirect',
        status: 302,
        location: 'https://bot.example.com/calls/p2?callgate-partition=p2',
        target: { kind: 'partition', partition: 'p2' },
      });
      expect(
        decide({
          format: 'graph',
          events: established,
          partition: 'p2',
          routing: partition('reject'),
        }),
      ).toMatchObject({
        action: 'reject',
        status: 421,
        partition: 'p2',
      });
    });

    it('accepts instead of redirecting to a partition URL that is not https', () => {
      const routing: RoutingOptions = {
        partition: {
          self: 'p1',
          url: (name) =>
            name === 'p1' ? 'https://bot.example.com/calls' : 'http://evil.example/calls',
          misrouted: 'redirect',
        },
      };
      const decision = decide({ format: 'graph', events: established, partition: 'p2', routing });
      expect(decision.action).toBe('accept');
      expect(decision.problem).toMatch(/not an https URL/);
    });
  });
});

describe('region selectors', () => {
  const call = incoming[0];
  if (call?.type !== 'incomingCall') throw new Error('fixture is not an incoming call');
  const context = { tenantId: 'AAAA-bbbb', callerRegion: undefined, self: 'emea', headers: {} };

  it('selectByTenant maps the verified tenant, ignoring case, else the fallback', () => {
    expect(selectByTenant({ 'aaaa-BBBB': 'amer' })(call, context)).toBe('amer');
    expect(selectByTenant({ other: 'amer' })(call, context)).toBeUndefined();
    expect(selectByTenant({ other: 'amer' }, 'emea')(call, context)).toBe('emea');
  });

  it("selectByCallerRegion prefers the call's source.region, then the header", () => {
    expect(selectByCallerRegion({ WestUS: 'amer' })(call, context)).toBe('amer');
    const meeting = eventsOf('graph-incoming-call-policy-recording-meeting')[0];
    if (meeting?.type !== 'incomingCall') throw new Error('fixture is not an incoming call');
    expect(selectByCallerRegion({ amer: 'amer' })(meeting, context)).toBe('amer');
    const noRegion = { ...call, source: undefined };
    expect(
      selectByCallerRegion({ euno: 'emea' })(noRegion, { ...context, callerRegion: 'EUNO' }),
    ).toBe('emea');
    expect(selectByCallerRegion({ euno: 'emea' }, 'amer')(noRegion, context)).toBe('amer');
  });
});
