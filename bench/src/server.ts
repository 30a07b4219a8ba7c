/**
 * Child-process entry: one benchmark server. argv[2] is a JSON ServerConfig
 * (without `webhook`); prints `{"url": ...}` once listening, exits on SIGTERM.
 */
import { forbidNonLoopbackRequests } from './networkGuard';
import { type ServerConfig, startBenchServer } from './servers';

forbidNonLoopbackRequests();
const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;
const { server, url } = await startBenchServer(config);
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.stdout.write(
    `${JSON.stringify({ rssMb: Math.round(process.memoryUsage().rss / 1048576) })}\n`,
    () => process.exit(0),
  );
});
