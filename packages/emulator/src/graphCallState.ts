import { randomUUID } from 'node:crypto';
import { type GraphActionKind, operationTypes } from './graphEndpoints';
import type { CallRegistration } from './mockGraphTypes';
import { identitySet, meetingFields, type RosterEntry } from './notifications';

/** One call as the mock Graph holds it. */
export interface CallState {
  id: string;
  reg: Required<Pick<CallRegistration, 'appId' | 'tenantId' | 'chainId' | 'scenarioId'>> &
    CallRegistration;
  state: 'incoming' | 'established' | 'terminated';
  direction: 'incoming' | 'outgoing';
  callbackUri?: string;
  targets: unknown[];
  roster: RosterEntry[];
  botParticipantId: string;
  /** Every operation of the call, by canonical id, as last reported. */
  operations: Map<string, Operation>;
  /** Operations still running, and the timer that completes each. */
  running: Map<string, { timer: NodeJS.Timeout; kind: GraphActionKind }>;
  faultCounts: Map<GraphActionKind, number>;
  keepAliveTimer?: NodeJS.Timeout;
  /** Notifications of the call go out one at a time, in order. */
  queue: Promise<void>;
}

/** A `commsOperation` resource. */
export type Operation = Record<string, unknown> & { id: string };

const succeeded = {
  '@odata.type': '#microsoft.graph.resultInfo',
  code: 200,
  subcode: 0,
  message: 'Action completed successfully.',
};

/** The `call` resource, as `GET /communications/calls/{id}` returns it. */
export function callResource(call: CallState, base: string) {
  const bot = {
    kind: 'application' as const,
    id: call.reg.appId,
    displayName: 'Bot',
    tenantId: call.reg.tenantId,
  };
  return {
    '@odata.type': '#microsoft.graph.call',
    '@odata.context': `${base}/v1.0/$metadata#communications/calls/$entity`,
    id: call.id,
    state: call.state,
    direction: call.direction,
    callbackUri: call.callbackUri ?? null,
    callChainId: call.reg.chainId,
    tenantId: call.reg.tenantId,
    myParticipantId: call.botParticipantId,
    requestedModalities: ['audio'],
    mediaState: { '@odata.type': '#microsoft.graph.callMediaState', audio: 'active' },
    source: {
      '@odata.type': '#microsoft.graph.participantInfo',
      identity: identitySet(
        call.direction === 'outgoing' || !call.reg.caller ? bot : call.reg.caller,
      ),
      endpointType: 'default',
    },
    targets: call.targets,
    ...(call.reg.meeting ? meetingFields(call.reg.meeting) : {}),
  };
}

/**
 * The `commsOperation` an action answers with: `running`, except
 * updateRecordingStatus and cancelMediaProcessing, which Microsoft's examples
 * answer `completed`.
 */
export function newOperation(kind: GraphActionKind, body: Record<string, unknown>): Operation {
  const done = kind === 'updateRecordingStatus' || kind === 'cancelMediaProcessing';
  return {
    '@odata.type': operationTypes[kind],
    id: randomUUID(),
    status: done ? 'completed' : 'running',
    clientContext: typeof body.clientContext === 'string' ? body.clientContext : null,
    resultInfo: done ? succeeded : null,
    ...(kind === 'inviteParticipants' ? { participants: body.participants } : {}),
    ...(kind === 'recordResponse'
      ? { recordingLocation: null, recordingAccessToken: null, completionReason: null }
      : {}),
    ...(kind === 'sendDtmfTones' ? { completionReason: null } : {}),
  };
}

/** The operation as its completion (or cancellation, 400/8508) reports it. */
export function finishedOperation(
  kind: GraphActionKind,
  operation: Operation,
  outcome: 'completed' | 'canceled',
  base: string,
): Operation {
  return {
    ...operation,
    status: outcome === 'completed' ? 'completed' : 'failed',
    resultInfo:
      outcome === 'completed'
        ? succeeded
        : {
            '@odata.type': '#microsoft.graph.resultInfo',
            code: 400,
            subcode: 8508,
            message: 'Action failed, the operation was cancelled.',
          },
    ...(kind === 'recordResponse' && outcome === 'completed'
      ? {
          recordingLocation: `${base}/recordings/${operation.id}.wav`,
          recordingAccessToken: `dev-recording-${operation.id}`,
          completionReason: 'maxRecordDurationReached',
        }
      : {}),
    ...(kind === 'sendDtmfTones' ? { completionReason: 'completedSuccessfully' } : {}),
  };
}

/** The roster entries of the participants an invite operation brought in. */
export function invitedEntries(operation: Operation, tenantId: string): RosterEntry[] {
  const invited =
    (operation.participants as
      | { identity?: Record<string, { id?: string; displayName?: string }> }[]
      | undefined) ?? [];
  return invited.map((info) => {
    const [who, identity] = Object.entries(info.identity ?? {}).find(
      ([key]) => key !== '@odata.type',
    ) ?? ['user', {}];
    return {
      participantId: randomUUID(),
      who: {
        kind: who === 'application' ? 'application' : 'user',
        id: identity.id ?? randomUUID(),
        displayName: identity.displayName ?? 'Invited participant',
        tenantId,
      },
      muted: false,
    };
  });
}
