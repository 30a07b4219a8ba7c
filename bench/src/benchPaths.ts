/** GET on a bench server: `{ cpuUs, requests }` of its process so far (not counted as a request). */
export const STATS_PATH = '/__bench/stats';
