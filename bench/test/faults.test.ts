import { describe, expect, it } from 'vitest';
import { FAULT_SCENARIOS } from '../src/reliability/faults';

describe('faults during load (node adapter on loopback)', () => {
  for (const scenario of FAULT_SCENARIOS) {
    it(`${scenario.name}: ${scenario.expectation}`, async () => {
      const { issuer, outcomes, held } = await scenario.run(24);
      await issuer.close();
      expect({ outcomes, held }).toMatchObject({ held: true });
    });
  }
});
