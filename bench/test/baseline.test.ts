import { describe, expect, it } from 'vitest';
import {
  type BaselineResult,
  baselinePairs,
  baselineTable,
  withBaselineTurns,
} from '../src/baseline';
import { pairsOf, type RouteRun, type Turn } from '../src/httpBench';
import type { LoadResult } from '../src/load';
import { httpTable, targets } from '../src/report';

const load = (serverCpuUsPerRequest: number): LoadResult => ({
  requestsPerSec: 1_000_000 / serverCpuUsPerRequest,
  serverCpuUsPerRequest,
  latencyP50Ms: 1,
  latencyP99Ms: 2,
  total: 1000,
  statusCounts: { '202': 1000 },
  errors: 0,
  timeouts: 0,
});

const run = (turn: Turn, round: number, cpu: number): RouteRun => ({
  ...turn,
  round,
  load: load(cpu),
  fetches: { metadata: 1, keys: 1 },
  serverRssMb: 100,
});

const plan: Turn[] = [
  { framework: 'node', mode: 'floor', tokenMode: 'reused' },
  { framework: 'node', mode: 'callgate', tokenMode: 'reused' },
  { framework: 'node', mode: 'callgate', tokenMode: 'fresh' },
  { framework: 'node', mode: 'jose', tokenMode: 'fresh' },
  { framework: 'fastify', mode: 'callgate', tokenMode: 'reused' },
];
const label = (t: Turn) => `${t.framework} ${t.mode}${t.build ? `@${t.build}` : ''} ${t.tokenMode}`;

describe('--baseline: the baseline build takes its turns beside this build', () => {
  it("puts each callgate route's baseline twin right beside it, first in odd rounds", () => {
    const served = new Set(['node', 'fastify'] as const);
    expect(withBaselineTurns(plan, 0, served).map(label)).toEqual([
      'node floor reused',
      'node callgate reused',
      'node callgate@baseline reused',
      'node callgate fresh',
      'node callgate@baseline fresh',
      'node jose fresh',
      'fastify callgate reused',
      'fastify callgate@baseline reused',
    ]);
    expect(withBaselineTurns(plan, 1, served).map(label)).toEqual([
      'node floor reused',
      'node callgate@baseline reused',
      'node callgate reused',
      'node callgate@baseline fresh',
      'node callgate fresh',
      'node jose fresh',
      'fastify callgate@baseline reused',
      'fastify callgate reused',
    ]);
  });

  it('adds no baseline turn for a framework the baseline does not serve', () => {
    const turns = withBaselineTurns(plan, 0, new Set(['node'] as const));
    expect(turns.filter((t) => t.framework === 'fastify').map(label)).toEqual([
      'fastify callgate reused',
    ]);
    expect(turns).toHaveLength(plan.length + 2);
  });
});

describe('--baseline: paired ratios, this build ÷ baseline, per round', () => {
  const thisReused = [100, 120, 90];
  const baseReused = [200, 150, 100];
  const thisFresh = [300, 330];
  const baseFresh = [250, 300];
  const runs: RouteRun[] = [];
  thisReused.forEach((cpu, round) => {
    runs.push(run({ framework: 'node', mode: 'floor', tokenMode: 'reused' }, round, 40));
    // The baseline's run first: a lookup that ignored the build would pick it up.
    runs.push(
      run(
        { framework: 'node', mode: 'callgate', tokenMode: 'reused', build: 'baseline' },
        round,
        baseReused[round]!,
      ),
    );
    runs.push(run({ framework: 'node', mode: 'callgate', tokenMode: 'reused' }, round, cpu));
  });
  thisFresh.forEach((cpu, round) => {
    runs.push(
      run(
        { framework: 'node', mode: 'callgate', tokenMode: 'fresh', build: 'baseline' },
        round,
        baseFresh[round]!,
      ),
    );
    runs.push(run({ framework: 'node', mode: 'callgate', tokenMode: 'fresh' }, round, cpu));
  });
  // Round 3: this build only (the baseline's turn is missing): no pair.
  runs.push(run({ framework: 'node', mode: 'callgate', tokenMode: 'reused' }, 3, 1000));

  it("divides this build's server CPU µs/req by the baseline's of the same round", () => {
    const [node, ...others] = baselinePairs(runs, ['node', 'express'], 4);
    expect(others).toEqual([]);
    expect(node?.framework).toBe('node');
    expect(node?.reusedCpu.rounds).toEqual([0.5, 0.8, 0.9]);
    expect(node?.reusedCpu).toMatchObject({ median: 0.8, min: 0.5, max: 0.9 });
    expect(node?.freshCpu.rounds).toEqual([1.2, 1.1]);
    expect(node?.freshCpu.median).toBeCloseTo(1.15);
  });

  it("keeps the baseline's runs out of this build's own pairs, tables and targets", () => {
    const settings = {
      durationSec: 1,
      rounds: 4,
      warmupSec: 0,
      connections: 1,
      freshTokens: 2,
      frameworks: ['node' as const],
      pin: false,
    };
    const [node] = pairsOf(runs, settings);
    expect(node?.addsUs.rounds).toEqual([60, 80, 50]);
    const rows = httpTable({ runs, pairs: [], settings }).split('\n');
    expect(rows.filter((r) => r.startsWith('| node | callgate@baseline | reused |'))).toHaveLength(
      1,
    );
    expect(rows.find((r) => r.startsWith('| node | callgate | reused |'))).toContain(
      '(90.0–1000.0)',
    );
    const fetches = targets({ http: { runs, pairs: [], settings } }).find((t) =>
      t.target.startsWith('metadata and key fetches'),
    );
    expect(fetches?.measured).toContain('over 6 processes');
  });

  it('prints both commits and the median (min–max) per framework', () => {
    const result: BaselineResult = {
      dir: '/checkouts/base',
      commit: 'abc1234',
      thisCommit: 'def5678+',
      unserved: ['fastify'],
      pairs: baselinePairs(runs, ['node'], 4),
    };
    const text = baselineTable(result);
    expect(text).toContain('This build (def5678+) ÷ baseline (abc1234, /checkouts/base)');
    expect(text).toContain('| node | 0.80 (0.50–0.90) | 1.15 (1.10–1.20) |');
    expect(text).toContain('does not serve fastify');
  });
});
