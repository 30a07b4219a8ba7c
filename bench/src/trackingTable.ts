import type { TrackingResult } from './tracking';

/** Markdown for the call-tracking benchmark. */
export function trackingTable(r: TrackingResult): string {
  const range = ([min, max]: [number, number]) => `${min}–${max}`;
  return [
    `${r.calls.toLocaleString('en-US')} concurrent calls, ${r.notificationsPerCall} notifications each (incoming, established, 5 rosters, 3 prompt completions awaited, terminated), ${r.rounds} alternating round(s); stub token check, in-process fake Graph.`,
    '',
    '| | µs per notification (median) | min–max |',
    '| --- | --- | --- |',
    `| webhook + linked calls client (tracking, answer, completions) | ${r.trackedUs} | ${range(r.trackedUsRange)} |`,
    `| webhook alone, same handlers | ${r.untrackedUs} | ${range(r.untrackedUsRange)} |`,
    '',
    '| after full GC | start | every call live | calls ended and forgotten |',
    '| --- | --- | --- | --- |',
    `| heap MB | ${r.heapStartMb} | ${r.heapLiveMb} | ${r.heapEndMb} |`,
    `| RSS MB | ${r.rssStartMb} | ${r.rssLiveMb} | ${r.rssEndMb} |`,
    `| calls tracked | 0 | ${r.trackedAtPeak} | ${r.trackedAtEnd} |`,
  ].join('\n');
}
