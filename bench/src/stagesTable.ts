import type { CoreCostResult } from './coreCost';

/** Markdown: what each stage of callgate's pipeline costs in process, paired within rounds. */
export function stagesTable(core: CoreCostResult): string {
  const range = (s: { median: number; min: number; max: number }) =>
    `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
  return [
    '| stage | µs per notification: median (min–max of rounds) | CPU µs: median (min–max) | what it pays for |',
    '| --- | --- | --- | --- |',
    ...core.stages.map(
      (s) => `| ${s.name} | ${range(s.latencyUs)} | ${range(s.cpuUs)} | ${s.buys} |`,
    ),
  ].join('\n');
}
