import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Path of a sibling entry in dist/ (the bench runs from its build). */
export function entry(name: string): string {
  return fileURLToPath(new URL(`./${name}.js`, import.meta.url));
}

export interface Child {
  process: ChildProcess;
  /** Resolves with the next JSON line the child prints. */
  nextJson<T>(): Promise<T>;
  /** Resolves when the child has exited. */
  exited: Promise<number | null>;
}

/**
 * Starts `node [nodeArgs] dist/<name>.js <json>`, pinned to CPU `cpu` with
 * taskset when given; stderr is passed through.
 */
export function spawnChild(
  name: string,
  arg: unknown,
  nodeArgs: string[] = [],
  cpu?: number,
): Child {
  return spawnScript(entry(name), arg, nodeArgs, cpu);
}

/** {@link spawnChild} for a script at any path (e.g. another checkout's build). */
export function spawnScript(
  script: string,
  arg: unknown,
  nodeArgs: string[] = [],
  cpu?: number,
): Child {
  const command = [process.execPath, ...nodeArgs, script, JSON.stringify(arg)];
  const pinned = cpu === undefined ? command : ['taskset', '-c', String(cpu), ...command];
  const child = spawn(pinned[0]!, pinned.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else queue.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    exited,
    nextJson<T>() {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(JSON.parse(queued) as T);
      return Promise.race([
        new Promise<T>((resolve) => waiters.push((line) => resolve(JSON.parse(line) as T))),
        exited.then((code) => {
          throw new Error(`bench child ${script} exited (${code}) before answering`);
        }),
      ]);
    },
  };
}
