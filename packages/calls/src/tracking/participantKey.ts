import type { Participant } from '@callgate/core';

/**
 * What identifies a roster entry: its `id`, else (Graph sends `id: null` in
 * some rosters) the id of its identity (user, application, phone...), else
 * its whole `info`.
 */
export function participantKey(participant: Participant): string {
  if (typeof participant.id === 'string' && participant.id !== '')
    return `id:${participant.id.toLowerCase()}`;
  const identity = participant.info?.identity as Record<string, unknown> | undefined;
  if (identity !== undefined) {
    for (const kind of Object.keys(identity).sort()) {
      const value = identity[kind];
      if (typeof value === 'object' && value !== null) {
        const id = (value as { id?: unknown }).id;
        if (typeof id === 'string' && id !== '') return `${kind}:${id.toLowerCase()}`;
      }
    }
  }
  return `info:${JSON.stringify(participant.info ?? null)}`;
}
