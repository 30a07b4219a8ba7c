import type { Participant } from '@callgate/core';
import type { RosterChange } from './TrackedCall';
import { participantKey } from './participantKey';

/**
 * The change from roster `before` to roster `after` (both full lists):
 * who joined, who left, whose entry changed.
 *
 * @example
 * ```ts
 * diffRoster([alice], [alice, bob]); // { joined: [bob], left: [], updated: [] }
 * ```
 */
export function diffRoster(
  before: readonly Participant[],
  after: readonly Participant[],
): RosterChange {
  const previous = new Map(before.map((p) => [participantKey(p), p]));
  const joined: Participant[] = [];
  const updated: Participant[] = [];
  for (const participant of after) {
    const key = participantKey(participant);
    const old = previous.get(key);
    if (old === undefined) joined.push(participant);
    else if (JSON.stringify(old) !== JSON.stringify(participant)) updated.push(participant);
    previous.delete(key);
  }
  return { joined, left: [...previous.values()], updated };
}
