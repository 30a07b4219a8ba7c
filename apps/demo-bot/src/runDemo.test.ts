import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoScenarios, runDemo } from './runDemo';

describe('the demo: two deployments of the demo bot against the emulator', () => {
  it.each(demoScenarios)('plays %s to its expected end', async (name) => {
    const lines: string[] = [];
    const { passed, results } = await runDemo({
      print: (line) => lines.push(line),
      scenarios: [name],
      answerTimeoutMs: 1500,
    });
    expect(results.map((result) => result.failures)).toEqual([[]]);
    expect(passed).toBe(true);
    expect(lines.join('\n')).toContain(`== ${name}: passed`);
  });

  it('sends a westeurope caller to the emea deployment with a 302, and emea answers it', async () => {
    const lines: string[] = [];
    await runDemo({ print: (line) => lines.push(line), scenarios: ['region-redirect'] });
    const transcript = lines.join('\n');
    expect(transcript).toMatch(
      /\[bot amer\] callgate: decision -> 302 redirect : incoming call \S+: belongs to deployment 'emea'/,
    );
    expect(transcript).toMatch(
      /\[bot emea\] answered call \S+ with callbackUri http:\/\/127\.0\.0\.1:\d+\/api\/calls\?callgate-partition=emea-1/,
    );
  });

  it('plays a prompt through @callgate/calls and logs its completion, awaited with calls.completion', async () => {
    const lines: string[] = [];
    const { passed } = await runDemo({
      print: (line) => lines.push(line),
      scenarios: ['play-prompt'],
    });
    expect(passed).toBe(true);
    expect(lines.join('\n')).toMatch(
      /\[bot amer\] the welcome prompt completed in call \S+ \(operation \S+\)/,
    );
  });

  it('survives a 429 on answer: waits Retry-After, answers again within the window', async () => {
    const lines: string[] = [];
    const { passed, results } = await runDemo({
      print: (line) => lines.push(line),
      scenarios: ['answer-throttled'],
    });
    expect(passed).toBe(true);
    const answers = results[0]!.graphActions.filter((action) => action.kind === 'answer');
    expect(answers.map((action) => action.status)).toEqual([429, 202]);
  });

  it('logs roster changes and the end of each call it follows', async () => {
    const lines: string[] = [];
    await runDemo({ print: (line) => lines.push(line), scenarios: ['roster-churn'] });
    const transcript = lines.join('\n');
    expect(transcript).toMatch(/\[bot amer\] call \S+ roster: \+2 -0, 2 now/);
    expect(transcript).toMatch(/roster: \+0 -\d, \d now/);
    expect(transcript).toMatch(/\[bot amer\] stopped following call \S+: terminated/);
  });

  it('runs as the README command: `node dist/demo.js` exits 0 and prints the tally', () => {
    const demo = new URL('../dist/demo.js', import.meta.url).pathname;
    expect(existsSync(demo), 'build the demo first (the README test command does)').toBe(true);
    const run = spawnSync(process.execPath, [demo], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/(\d+) of \1 scenarios ended as expected/);
  });
});
