import type {
  CallEvent,
  CallEventBase,
  CallStateChangedEvent,
  CallTerminatedEvent,
  IncomingCallEvent,
  OperationCompletedEvent,
  ParticipantsUpdatedEvent,
  UnknownCallEvent,
} from './events';
import { isJsonObject, jsonKind, ownValue } from './jsonKind';
import { NotificationError } from './NotificationError';
import { callIdOfPath, isCallPath, isParticipantsPath, operationIdOfPath } from './resourcePath';
import {
  type Participant,
  callSchema,
  commsNotificationSchema,
  commsOperationSchema,
  participantSchema,
} from './schemas';

type Base = Omit<CallEventBase<never>, 'type'>;

/**
 * Turns one `commsNotification` (an item of a Graph body's `value`) into
 * exactly one typed {@link CallEvent}:
 *
 * - `operationCompleted`: `resourceData` is a `...Operation`, or the resource
 *   is under `/operations/`.
 * - `participantsUpdated`: the resource is a call's `/participants` (or one participant).
 * - `incomingCall`: the call itself, `changeType` created, state incoming.
 * - `callTerminated`: the call itself in state terminated (or deleted without a state).
 * - `callStateChanged`: any other update of the call itself (DTMF tones included).
 * - `unknown`: anything else, kept rather than dropped.
 *
 * Fields of the wrong shape degrade to `undefined`; the item itself stays in
 * `raw`. Only an item that is not an object (`invalid_item`) or that names no
 * resource (`missing_resource`) is refused. `path` is the item's JSON path,
 * used in errors.
 *
 * @example
 * ```ts
 * import { normalizeNotification } from '@callgate/core';
 *
 * const event = normalizeNotification({
 *   changeType: 'Updated',
 *   resourceUrl: '/communications/calls/57dab8b1',
 *   resourceData: { '@odata.type': '#microsoft.graph.call', state: 'Established' },
 * });
 * // { type: 'callStateChanged', callId: '57dab8b1', state: 'established', ... }
 * ```
 */
export function normalizeNotification(item: unknown, path = '$'): CallEvent {
  if (!isJsonObject(item)) {
    throw new NotificationError(
      'invalid_item',
      `${path} is ${jsonKind(item)}, not a commsNotification object: every item of "value" must be an object naming its resourceUrl.`,
      { path },
    );
  }
  const parsed = commsNotificationSchema.safeParse(item);
  if (!parsed.success) throw missingResource(item, path);
  const notification = parsed.data;
  const resourceUrl = notification.resourceUrl;
  const resourceName = notification.resource;
  const resource = resourceUrl ?? resourceName;
  if (resource === undefined) throw missingResource(item, path);

  const resourceData = ownValue(item, 'resourceData');
  const data = isJsonObject(resourceData) ? resourceData : undefined;
  const dataCallbackUri = data === undefined ? undefined : ownValue(data, 'callbackUri');
  const base: Base = {
    callId: callIdOfPath(resourceUrl) ?? callIdOfPath(resourceName),
    changeType: notification.changeType,
    resource,
    callbackUri:
      notification.callbackUri ??
      (typeof dataCallbackUri === 'string' ? dataCallbackUri : undefined),
    raw: item,
  };
  const paths = resourceName === undefined ? [resource] : [resource, resourceName];
  const odataType = data === undefined ? undefined : ownValue(data, '@odata.type');
  const typeName =
    typeof odataType === 'string' ? odataType.slice(odataType.lastIndexOf('.') + 1) : '';

  if (/operation$/i.test(typeName) || paths.some((p) => operationIdOfPath(p) !== undefined)) {
    return operationEvent(base, data, typeName, paths);
  }
  if (/^#?participant$/i.test(typeName) || paths.some(isParticipantsPath)) {
    return participantsEvent(base, resourceData);
  }
  if (!Array.isArray(resourceData) && (/^#?call$/i.test(typeName) || paths.some(isCallPath))) {
    return callEvent(base, data);
  }
  const unknown: UnknownCallEvent = { type: 'unknown', ...base, resourceData };
  return unknown;
}

function operationEvent(
  base: Base,
  data: Record<string, unknown> | undefined,
  typeName: string,
  paths: string[],
): OperationCompletedEvent {
  const operation = data === undefined ? undefined : commsOperationSchema.safeParse(data).data;
  const kind = /^#?(.*)operation$/i.exec(typeName)?.[1];
  return {
    type: 'operationCompleted',
    ...base,
    operationId: operation?.id ?? paths.map(operationIdOfPath).find((id) => id !== undefined),
    // `commsOperation` is the base type: it says nothing about which operation ran.
    operationKind:
      kind && kind.toLowerCase() !== 'comms' ? kind[0]!.toLowerCase() + kind.slice(1) : undefined,
    status: operation?.status,
    resultInfo: operation?.resultInfo,
    clientContext: operation?.clientContext,
  };
}

function participantsEvent(base: Base, resourceData: unknown): ParticipantsUpdatedEvent {
  const items = Array.isArray(resourceData) ? resourceData : [resourceData];
  const participants: Participant[] = [];
  for (const entry of items) {
    // A roster entry that is not an object carries nothing to read; `raw` keeps it.
    const participant = participantSchema.safeParse(entry);
    if (participant.success) participants.push(participant.data);
  }
  return { type: 'participantsUpdated', ...base, participants };
}

function callEvent(
  base: Base,
  data: Record<string, unknown> | undefined,
): IncomingCallEvent | CallTerminatedEvent | CallStateChangedEvent {
  const call = callSchema.safeParse(data ?? {}).data ?? {};
  const state = call.state;
  // A call nobody can name cannot be answered; it stays a plain state change.
  const incomingCallId = base.callId ?? call.id;
  if (state === 'incoming' && base.changeType === 'created' && incomingCallId !== undefined) {
    return {
      type: 'incomingCall',
      ...base,
      callId: incomingCallId,
      tenantId: call.tenantId,
      source: call.source,
      targets: call.targets ?? [],
      meetingInfo: call.meetingInfo,
      chatInfo: call.chatInfo,
      incomingContext: call.incomingContext,
      requestedModalities: call.requestedModalities ?? [],
      callChainId: call.callChainId,
      direction: call.direction,
      call,
    };
  }
  // A call deleted without a state has ended all the same.
  if (state === 'terminated' || (state === undefined && base.changeType === 'deleted')) {
    return {
      type: 'callTerminated',
      ...base,
      resultInfo: call.resultInfo,
      terminationReason: call.terminationReason,
      call,
    };
  }
  return { type: 'callStateChanged', ...base, state, toneInfo: call.toneInfo, call };
}

function missingResource(item: Record<string, unknown>, path: string): NotificationError {
  for (const key of ['resourceUrl', 'resource']) {
    const value = ownValue(item, key);
    if (value !== undefined) {
      return new NotificationError(
        'missing_resource',
        `${path}.${key} is ${value === '' ? 'empty' : jsonKind(value)}, not a resource path such as "/communications/calls/{id}".`,
        { path: `${path}.${key}` },
      );
    }
  }
  return new NotificationError(
    'missing_resource',
    `${path} has neither "resourceUrl" nor "resource": every commsNotification names the resource it is about; is this an item of another API's notification?`,
    { path },
  );
}
