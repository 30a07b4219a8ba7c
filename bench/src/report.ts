import type { TrackingResult } from './tracking';
import type { CoreCostResult } from './coreCost';
import type { HttpRow } from './httpBench';
import type { MemoryResult } from './memory';

export interface BenchResults {
  core?: CoreCostResult;
  http?: HttpRow[];
  memory?: MemoryResult;
  tracking?: TrackingResult;
}

export interface TargetRow {
  target: string;
  measured: string;
  goal: string;
  met: boolean;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function coreTable(core: CoreCostResult): string {
  const floor = core.rows.find((r) => r.name.startsWith('floor'));
  const fresh = core.rows.find((r) => r.name.includes('callgate') && r.tokens > 1);
  return table(
    ['contender', 'tokens', 'µs/op (median)', 'ops/s', 'cost vs floor', 'cost vs callgate (fresh)'],
    core.rows.map((r) => [
      r.name,
      r.tokens === 1 ? 'reused' : `${r.tokens} rotating`,
      fmt(r.nsPerOp / 1000, 1),
      int(r.opsPerSec),
      floor ? fmt(r.nsPerOp / floor.nsPerOp) : '-',
      fresh ? fmt(r.nsPerOp / fresh.nsPerOp) : '-',
    ]),
  );
}

export function httpTable(rows: HttpRow[]): string {
  return table(
    [
      'framework',
      'route',
      'token',
      'req/s',
      'p50 ms',
      'p99 ms',
      'x bare',
      'statuses',
      'metadata/key fetches',
      'server RSS MB',
    ],
    rows.map((r) => {
      const bare = rows.find((b) => b.framework === r.framework && b.mode === 'bare');
      return [
        r.framework,
        r.mode,
        r.tokenMode,
        int(r.requestsPerSec),
        r.latencyP50Ms,
        r.latencyP99Ms,
        bare ? fmt(r.requestsPerSec / bare.requestsPerSec) : '-',
        Object.entries(r.statusCounts)
          .map(([s, c]) => `${s}: ${c}`)
          .join(', ') + (r.errors > 0 ? `, errors: ${r.errors}` : ''),
        fetchesCell(r.fetches),
        r.serverRssMb,
      ];
    }),
  );
}

/** `1/1` when every process fetched the same, else each process's `metadata/keys`. */
function fetchesCell(fetches: HttpRow['fetches']): string {
  const cells = fetches.map((f) => `${f.metadata}/${f.keys}`);
  const distinct = [...new Set(cells)];
  return distinct.length === 1 ? `${distinct[0]} per process` : cells.join(', ');
}

export function memoryTable(m: MemoryResult): string {
  return table(
    [
      'notifications',
      'seconds',
      'RSS before (MB)',
      'RSS after (MB)',
      'growth (MB)',
      'peak RSS (MB)',
      'heap before/after (MB)',
      'RSS every 10% (MB)',
    ],
    [
      [
        int(m.count),
        m.seconds,
        m.rssBeforeMb,
        m.rssAfterMb,
        fmt(m.rssAfterMb - m.rssBeforeMb, 1),
        m.rssPeakMb,
        `${m.heapBeforeMb} / ${m.heapAfterMb}`,
        m.samplesMb.join(', '),
      ],
    ],
  );
}

/** The targets of the benchmark brief, as far as `results` covers them. */
export function targets(results: BenchResults): TargetRow[] {
  const out: TargetRow[] = [];
  const http = results.http ?? [];
  const find = (framework: string, mode: string, tokenMode: string) =>
    http.find((r) => r.framework === framework && r.mode === mode && r.tokenMode === tokenMode);
  const ratio = (name: string, a: number | undefined, b: number | undefined, goal: number) => {
    if (a === undefined || b === undefined) return;
    const value = a / b;
    out.push({ target: name, measured: `${fmt(value)}x`, goal: `>= ${goal}x`, met: value >= goal });
  };
  for (const [framework, goal] of [
    ['node', 0.6],
    ['express', 0.85],
    ['koa', 0.85],
  ] as const) {
    ratio(
      `${framework}: adapter vs bare route, reused token (req/s)`,
      find(framework, 'callgate', 'reused')?.requestsPerSec,
      find(framework, 'bare', 'reused')?.requestsPerSec,
      goal,
    );
  }
  for (const framework of ['node', 'express', 'koa']) {
    ratio(
      `${framework}: adapter vs hand-written jose route, fresh tokens (req/s)`,
      find(framework, 'callgate', 'fresh')?.requestsPerSec,
      find(framework, 'jose', 'fresh')?.requestsPerSec,
      0.9,
    );
  }
  ratio(
    'node: adapter vs botframework-connector route, fresh tokens (req/s)',
    find('node', 'callgate', 'fresh')?.requestsPerSec,
    find('node', 'botframework', 'fresh')?.requestsPerSec,
    3,
  );
  const core = results.core?.rows ?? [];
  const ns = (predicate: (name: string, tokens: number) => boolean) =>
    core.find((r) => predicate(r.name, r.tokens))?.nsPerOp;
  const callgateFresh = ns((n, t) => n.startsWith('callgate') && t > 1);
  ratio(
    'in-process: callgate vs jose, fresh tokens (ops/s)',
    ns((n) => n.startsWith('jose')),
    callgateFresh,
    0.9,
  );
  ratio(
    'in-process: callgate vs botframework-connector, fresh tokens (ops/s)',
    ns((n, t) => n.startsWith('botframework') && t > 1),
    callgateFresh,
    3,
  );
  const callgateServers = http.filter((r) => r.mode === 'callgate').flatMap((r) => r.fetches);
  if (callgateServers.length > 0) {
    const worst = callgateServers.map((f) => Math.max(f.metadata, f.keys));
    const fewest = callgateServers.map((f) => Math.min(f.metadata, f.keys));
    out.push({
      target: 'metadata and key fetches per callgate server process (no refresh due)',
      measured: `${Math.min(...fewest)}..${Math.max(...worst)} each, over ${callgateServers.length} processes`,
      goal: 'exactly 1 metadata + 1 key fetch',
      met: callgateServers.every((f) => f.metadata === 1 && f.keys === 1),
    });
  }
  const m = results.memory;
  if (m !== undefined) {
    const growth = m.rssAfterMb - m.rssBeforeMb;
    out.push({
      target: `RSS growth after GC over ${int(m.count)} notifications (webhook.handle, reused token)`,
      measured: `${fmt(growth, 1)} MB`,
      goal: '<= 10 MB',
      met: growth <= 10,
    });
  }
  return out;
}

export function targetsTable(rows: TargetRow[]): string {
  return table(
    ['target', 'measured', 'goal', 'result'],
    rows.map((r) => [r.target, r.measured, r.goal, r.met ? 'met' : '**missed**']),
  );
}
