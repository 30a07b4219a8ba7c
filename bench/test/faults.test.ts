import { describe, expect, it } from 'vitest';
import { FAULT_SCENARIOS } from '../src/reliability/faults';

// `held` is each scenario's own verdict: statuses, problem codes and the key fetches it
// promises (>= 1 against the broken endpoint when warm, exactly 1 per cooldown when cold).
describe('faults during load (node adapter on loopback)', () => {
  for (const scenario of FAULT_SCENARIOS) {
    it(`${scenario.name}: ${scenario.expectation}`, async () => {
      const { issuer, outcomes, held, faultFetches } = await scenario.run(24);
      await issuer.close();
      expect({ outcomes, faultFetches, held }).toMatchObject({ held: true });
    });
  }
});
