/**
 * `node bench/dist/profileSummary.js PROFILE REQUESTS [--top=N] [--under=FUNCTION]`:
 * reads a `.cpuprofile` written by `--profile=DIR` (or `node --cpu-prof`) and
 * prints, per request served, the sampled time spent in each function,
 * callees included (a function is counted once per sample, however deep its
 * recursion), heaviest first. With `--under=NAME`, the time spent under the
 * outermost frame named NAME, split by its direct callees. REQUESTS is what
 * the process served while profiled, warm-up included (a round's statuses
 * count × (duration + warm-up) ÷ duration). Sampled figures: a share of the
 * process's time, converted to µs; not a timing.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

/** µs per request for each function (callees included), or under one frame by its direct callees. */
export function summarize(
  profile: CpuProfile,
  requests: number,
  under?: string,
): Array<[string, number]> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber}`;
  };
  const usPerSample = (profile.endTime - profile.startTime) / profile.samples.length;
  const totals = new Map<string, number>();
  for (const sample of profile.samples) {
    const chain: number[] = [];
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) chain.push(id);
    if (under === undefined) {
      for (const key of new Set(chain.map(name))) totals.set(key, (totals.get(key) ?? 0) + 1);
      continue;
    }
    const outermost = chain.findLastIndex((id) => byId.get(id)!.callFrame.functionName === under);
    if (outermost === -1) continue;
    const key = outermost === 0 ? '(self)' : name(chain[outermost - 1]!);
    totals.set(key, (totals.get(key) ?? 0) + 1);
  }
  return [...totals]
    .map(([key, samples]): [string, number] => [key, (samples * usPerSample) / requests])
    .sort((a, b) => b[1] - a[1]);
}

const [path, requestsText, ...rest] = process.argv.slice(2);
if (path !== undefined) {
  const requests = Number(requestsText);
  if (!Number.isFinite(requests) || requests <= 0) {
    console.error('usage: profileSummary.js PROFILE REQUESTS [--top=N] [--under=FUNCTION]');
    process.exit(2);
  }
  const option = (flag: string) =>
    rest.find((arg) => arg.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  for (const [key, us] of summarize(profile, requests, option('under')).slice(
    0,
    Number(option('top') ?? 40),
  )) {
    console.log(`${us.toFixed(1).padStart(7)} µs  ${key}`);
  }
}
