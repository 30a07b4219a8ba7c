import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

function versionOf(name: string): string {
  try {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** What the numbers were measured on, as Markdown. */
export function machineReport(): string {
  const cpu = cpus();
  const packages = [
    '@callgate/core',
    '@callgate/node',
    '@callgate/express',
    '@callgate/koa',
    '@callgate/fastify',
    'jose',
    'express',
    'koa',
    'fastify',
    'botframework-connector',
    'autocannon',
  ];
  return [
    `- Node ${process.version}, ${cpu.length} logical CPUs (${cpu[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `- load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min)`,
    `- ${packages.map((name) => `${name} ${versionOf(name)}`).join(', ')}`,
  ].join('\n');
}

export function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}
