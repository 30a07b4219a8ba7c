import type { TrackingResult } from './tracking';
import type { CoreCostResult } from './coreCost';
import type { HttpResult, RouteRun, Turn } from './httpBench';
import type { Spread } from './measure';
import { median } from './measure';
import type { MemoryResult } from './memory';

export interface BenchResults {
  core?: CoreCostResult;
  http?: HttpResult;
  memory?: MemoryResult;
  tracking?: TrackingResult;
}

export interface TargetRow {
  target: string;
  measured: string;
  goal: string;
  met: boolean;
}

/** The route's name in tables and logs: `callgate`, or `callgate@baseline`. */
export const routeName = (turn: Turn): string =>
  turn.build === undefined ? turn.mode : `${turn.mode}@${turn.build}`;

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
/** `median (min–max)`. */
export const range = (s: Spread, digits = 2, unit = '') =>
  `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function coreTable(core: CoreCostResult): string {
  return table(
    [
      'contender',
      'tokens',
      'µs/op, awaited one by one (median; min–max of rounds)',
      'CPU µs/op (median)',
    ],
    core.rows.map((r) => {
      const latencies = r.rounds.map((s) => s.nsPerOp / 1000);
      return [
        r.name,
        r.tokens === 1 ? 'reused' : `${r.tokens} rotating`,
        `${fmt(r.usPerOp, 1)} (${fmt(Math.min(...latencies), 1)}–${fmt(Math.max(...latencies), 1)})`,
        fmt(r.cpuUsPerOp, 1),
      ];
    }),
  );
}

export function corePairsTable(core: CoreCostResult): string {
  return table(
    ['ratio, per round', 'latency: median (min–max)', 'CPU time: median (min–max)'],
    core.pairs.map((p) => [p.name, range(p.latency), range(p.cpu)]),
  );
}

export function httpTable(http: HttpResult): string {
  const groups = new Map<string, RouteRun[]>();
  for (const run of http.runs) {
    const key = `${run.framework}|${routeName(run)}|${run.tokenMode}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return table(
    [
      'framework',
      'route',
      'token',
      'req/s: median (min–max)',
      'server CPU µs/req: median (min–max)',
      'p50 / p99 ms',
      'statuses (all rounds)',
      'metadata/key fetches per process',
      'server RSS MB (max)',
    ],
    [...groups.values()].map((runs) => {
      const first = runs[0]!;
      const rates = runs.map((r) => r.load.requestsPerSec);
      const cpu = runs.map((r) => r.load.serverCpuUsPerRequest);
      const statuses: Record<string, number> = {};
      for (const run of runs) {
        for (const [status, count] of Object.entries(run.load.statusCounts)) {
          statuses[status] = (statuses[status] ?? 0) + count;
        }
      }
      const fetches = [...new Set(runs.map((r) => `${r.fetches.metadata}/${r.fetches.keys}`))];
      return [
        first.framework,
        routeName(first),
        first.tokenMode,
        `${int(median(rates))} (${int(Math.min(...rates))}–${int(Math.max(...rates))})`,
        `${fmt(median(cpu), 1)} (${fmt(Math.min(...cpu), 1)}–${fmt(Math.max(...cpu), 1)})`,
        `${median(runs.map((r) => r.load.latencyP50Ms))} / ${median(runs.map((r) => r.load.latencyP99Ms))}`,
        Object.entries(statuses)
          .map(([s, c]) => `${s}: ${c}`)
          .join(', '),
        fetches.join(', '),
        Math.max(...runs.map((r) => r.serverRssMb)),
      ];
    }),
  );
}

export function httpPairsTable(http: HttpResult): string {
  return table(
    [
      'framework',
      'callgate adds (server CPU µs/req, reused token)',
      '= × the node:http floor route',
      'fresh tokens: callgate req/s ÷ jose route req/s',
      'fresh tokens: jose CPU ÷ callgate CPU',
    ],
    http.pairs.map((p) => [
      p.framework,
      range(p.addsUs, 1, ' µs'),
      range(p.timesNodeFloor, 2, '×'),
      range(p.freshVsJoseRate),
      range(p.freshVsJoseCpu),
    ]),
  );
}

export function memoryTable(m: MemoryResult): string {
  return table(
    [
      'notifications',
      'seconds',
      'heap before → after GC (MB)',
      'heap growth (MB)',
      'RSS before → after GC (MB)',
      'peak RSS (MB)',
      'heap after GC every 10% (MB)',
    ],
    [
      [
        int(m.count),
        m.seconds,
        `${m.heapBeforeMb} → ${m.heapAfterMb}`,
        fmt(m.heapAfterMb - m.heapBeforeMb, 1),
        `${m.rssBeforeMb} → ${m.rssAfterMb}`,
        m.rssPeakMb,
        m.heapSamplesMb.join(', '),
      ],
    ],
  );
}

/** The targets of issue 17, judged on the median of paired rounds; the range is shown beside. */
export function targets(results: BenchResults): TargetRow[] {
  const out: TargetRow[] = [];
  for (const p of results.http?.pairs ?? []) {
    if (p.timesNodeFloor.rounds.length > 0) {
      out.push({
        target: `${p.framework}: what callgate adds (reused token, equipped as a bot) vs the whole node:http floor route`,
        measured: `${range(p.addsUs, 1, ' µs')} = ${range(p.timesNodeFloor, 2, '×')}`,
        goal: '<= 1×',
        met: p.timesNodeFloor.median <= 1,
      });
    }
    if (p.freshVsJoseRate.rounds.length > 0) {
      out.push({
        target: `${p.framework}: fresh tokens, callgate vs the hand-written jose route (req/s)`,
        measured: `${range(p.freshVsJoseRate)}×`,
        goal: '>= 0.9×',
        met: p.freshVsJoseRate.median >= 0.9,
      });
    }
  }
  const inProcess = results.core?.pairs.find((p) => p.name.startsWith('jose / callgate'));
  if (inProcess !== undefined) {
    out.push({
      target:
        'in process: fresh tokens, callgate vs hand-written jose (ops/s = jose µs ÷ callgate µs)',
      measured: `${range(inProcess.latency)}× (CPU: ${range(inProcess.cpu)}×)`,
      goal: '>= 0.9×',
      met: inProcess.latency.median >= 0.9,
    });
  }
  // This build's callgate servers (not the baseline's).
  const servers = (results.http?.runs ?? []).filter(
    (r) => r.mode === 'callgate' && r.build === undefined,
  );
  if (servers.length > 0) {
    const worst = Math.max(...servers.map((r) => Math.max(r.fetches.metadata, r.fetches.keys)));
    const fewest = Math.min(...servers.map((r) => Math.min(r.fetches.metadata, r.fetches.keys)));
    out.push({
      target: 'metadata and key fetches per callgate server process (no refresh due)',
      measured: `${fewest}..${worst} each, over ${servers.length} processes`,
      goal: 'exactly 1 metadata + 1 key fetch',
      met: servers.every((r) => r.fetches.metadata === 1 && r.fetches.keys === 1),
    });
  }
  const m = results.memory;
  if (m !== undefined) {
    const growth = m.heapAfterMb - m.heapBeforeMb;
    out.push({
      target: `heap growth after GC over ${int(m.count)} notifications (webhook.handle, reused token)`,
      measured: `${fmt(growth, 1)} MB (RSS ${fmt(m.rssAfterMb - m.rssBeforeMb, 1)} MB)`,
      goal: '<= 10 MB of heap',
      met: growth <= 10,
    });
  }
  return out;
}

export function targetsTable(rows: TargetRow[]): string {
  return table(
    ['target', 'measured: median (min–max of paired rounds)', 'goal', 'result'],
    rows.map((r) => [r.target, r.measured, r.goal, r.met ? 'met' : '**missed**']),
  );
}
