import { type CallContext, type CallEvent, parseNotifications } from '@callgate/core';
import type { CallTracker } from './CallTracker';

/** Test support: feeds Graph notification items to a tracker as the webhook would. */
export function feed(tracker: CallTracker, items: unknown[], at = Date.now()): CallEvent[] {
  const parsed = parseNotifications(JSON.stringify({ value: items }));
  if (parsed.format !== 'graph') throw new Error('not a graph body');
  const context = { receivedAt: new Date(at) } as CallContext;
  for (const event of parsed.events) tracker.observe(event, { ...context, callId: event.callId });
  return parsed.events;
}

export const callItem = (callId: string, state: string, changeType = 'updated', extra = {}) => ({
  changeType,
  resourceUrl: `/communications/calls/${callId}`,
  resourceData: { '@odata.type': '#microsoft.graph.call', state, ...extra },
});

export const incomingItem = (callId: string) =>
  callItem(callId, 'incoming', 'created', {
    direction: 'incoming',
    source: { identity: { user: { id: 'caller-1', displayName: 'Caller' } } },
    targets: [{ identity: { application: { id: 'bot-app' } } }],
  });

export const participant = (id: string, extra = {}) => ({
  '@odata.type': '#microsoft.graph.participant',
  id,
  info: { identity: { user: { id: `user-${id}` } } },
  isMuted: false,
  ...extra,
});

export const rosterItem = (callId: string, participants: unknown[], changeType = 'updated') => ({
  changeType,
  resourceUrl: `/communications/calls/${callId}/participants`,
  resourceData: participants,
});

export const operationItem = (
  callId: string,
  operationId: string,
  status: string,
  extra: Record<string, unknown> = {},
) => ({
  changeType: 'deleted',
  resourceUrl: `/communications/calls/${callId}/operations/${operationId}`,
  resourceData: {
    '@odata.type': '#microsoft.graph.playPromptOperation',
    id: operationId,
    status,
    ...extra,
  },
});
