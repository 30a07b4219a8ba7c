/**
 * The Microsoft Graph v1.0 calls API as the mock serves it: which request is
 * which method of `@callgate/calls`, what each body must carry, and which
 * application permissions each needs (Microsoft's v1.0 reference pages).
 */

/** A request a bot made to the mock Graph, named after the `@callgate/calls` method. */
export type GraphActionKind =
  | 'answer'
  | 'reject'
  | 'redirect'
  | 'transfer'
  | 'changeScreenSharingRole'
  | 'playPrompt'
  | 'recordResponse'
  | 'subscribeToTone'
  | 'sendDtmfTones'
  | 'mute'
  | 'unmute'
  | 'updateRecordingStatus'
  | 'cancelMediaProcessing'
  | 'inviteParticipants'
  | 'muteParticipant'
  | 'removeParticipant'
  | 'startHoldMusic'
  | 'stopHoldMusic'
  | 'keepAlive'
  | 'hangUp'
  | 'get'
  | 'listParticipants'
  | 'getParticipant'
  | 'getOperation'
  | 'create';

/** Actions answered `202 Accepted` with no body. */
export const acceptedActions: ReadonlySet<GraphActionKind> = new Set([
  'answer',
  'reject',
  'redirect',
  'transfer',
  'changeScreenSharingRole',
]);

/** Actions answered `200 OK` with a `commsOperation` and a `Location` header, and their `@odata.type`. */
export const operationTypes: Partial<Record<GraphActionKind, string>> = {
  playPrompt: '#microsoft.graph.playPromptOperation',
  recordResponse: '#microsoft.graph.recordOperation',
  subscribeToTone: '#microsoft.graph.subscribeToToneOperation',
  sendDtmfTones: '#microsoft.graph.sendDtmfTonesOperation',
  mute: '#microsoft.graph.muteParticipantOperation',
  unmute: '#microsoft.graph.unmuteParticipantOperation',
  updateRecordingStatus: '#microsoft.graph.updateRecordingStatusOperation',
  cancelMediaProcessing: '#microsoft.graph.cancelMediaProcessingOperation',
  inviteParticipants: '#microsoft.graph.inviteParticipantsOperation',
  muteParticipant: '#microsoft.graph.muteParticipantOperation',
  startHoldMusic: '#microsoft.graph.startHoldMusicOperation',
  stopHoldMusic: '#microsoft.graph.stopHoldMusicOperation',
};

const callActions: Record<string, GraphActionKind> = {
  answer: 'answer',
  reject: 'reject',
  redirect: 'redirect',
  transfer: 'transfer',
  changescreensharingrole: 'changeScreenSharingRole',
  playprompt: 'playPrompt',
  recordresponse: 'recordResponse',
  subscribetotone: 'subscribeToTone',
  senddtmftones: 'sendDtmfTones',
  mute: 'mute',
  unmute: 'unmute',
  updaterecordingstatus: 'updateRecordingStatus',
  cancelmediaprocessing: 'cancelMediaProcessing',
  keepalive: 'keepAlive',
};

const participantActions: Record<string, GraphActionKind> = {
  mute: 'muteParticipant',
  startholdmusic: 'startHoldMusic',
  stopholdmusic: 'stopHoldMusic',
};

/** A request matched to an endpoint. */
export interface GraphRoute {
  kind: GraphActionKind;
  /** Undefined only for `create`. */
  callId?: string;
  participantId?: string;
  operationId?: string;
}

const prefix = '/v1.0/communications/calls';

/**
 * Which endpoint `method path` is: undefined when the path is not a calls API
 * path (404), `'method'` when the path is but not with this method (405).
 */
export function matchGraphRoute(method: string, path: string): GraphRoute | 'method' | undefined {
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
  const segments = path
    .slice(prefix.length)
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  const [callId, second, third, fourth] = segments;
  const m = method.toUpperCase();
  const pick = (table: Partial<Record<string, GraphRoute>>) => table[m] ?? 'method';
  if (callId === undefined) return pick({ POST: { kind: 'create' } });
  if (segments.length === 1) {
    return pick({ GET: { kind: 'get', callId }, DELETE: { kind: 'hangUp', callId } });
  }
  if (segments.length === 2 && second === 'participants') {
    return pick({ GET: { kind: 'listParticipants', callId } });
  }
  if (segments.length === 2) {
    const kind = callActions[second!.toLowerCase()];
    return kind ? pick({ POST: { kind, callId } }) : undefined;
  }
  if (segments.length === 3 && second === 'operations') {
    return pick({ GET: { kind: 'getOperation', callId, operationId: third! } });
  }
  if (segments.length === 3 && second === 'participants' && third!.toLowerCase() === 'invite') {
    return pick({ POST: { kind: 'inviteParticipants', callId } });
  }
  if (segments.length === 3 && second === 'participants') {
    return pick({
      GET: { kind: 'getParticipant', callId, participantId: third! },
      DELETE: { kind: 'removeParticipant', callId, participantId: third! },
    });
  }
  if (segments.length === 4 && second === 'participants') {
    const kind = participantActions[fourth!.toLowerCase()];
    return kind ? pick({ POST: { kind, callId, participantId: third! } }) : undefined;
  }
  return undefined;
}

/** Kinds whose request has a body. */
const withBody: ReadonlySet<GraphActionKind> = new Set([
  ...acceptedActions,
  ...(Object.keys(operationTypes) as GraphActionKind[]),
  'create',
]);

/** Kinds whose body must be present (a JSON object). */
const bodyRequired: ReadonlySet<GraphActionKind> = new Set([
  'answer',
  'redirect',
  'transfer',
  'changeScreenSharingRole',
  'playPrompt',
  'sendDtmfTones',
  'updateRecordingStatus',
  'inviteParticipants',
  'create',
]);

/**
 * What Graph would refuse in a request body with `400 BadRequest`, naming the
 * property; undefined when the body is acceptable.
 */
export function bodyProblem(kind: GraphActionKind, body: unknown, raw: string): string | undefined {
  if (!withBody.has(kind)) return undefined;
  if (raw.trim() === '' && !bodyRequired.has(kind)) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return `The ${kind} request body must be a JSON object.`;
  }
  const f = body as Record<string, unknown>;
  const list = (name: string) => Array.isArray(f[name]) && (f[name] as unknown[]).length > 0;
  const object = (name: string) => typeof f[name] === 'object' && f[name] !== null;
  const oneOf = (name: string, values: string[]) => values.includes(f[name] as string);
  if (typeof f.clientContext === 'string' && f.clientContext.length > 256) {
    return '`clientContext` can have at most 256 characters.';
  }
  switch (kind) {
    case 'answer':
      if (!isAbsoluteHttpUrl(f.callbackUri))
        return 'answer needs `callbackUri`, the absolute URL that receives the call notifications.';
      if (!list('acceptedModalities')) return 'answer needs `acceptedModalities`, e.g. ["audio"].';
      return mediaConfigProblem('answer', f.mediaConfig);
    case 'reject':
      if (f.reason !== undefined && !oneOf('reason', ['none', 'busy', 'forbidden']))
        return 'reject `reason` must be none, busy or forbidden.';
      return undefined;
    case 'redirect':
      if (!list('targets')) return 'redirect needs `targets` (invitationParticipantInfo list).';
      if (f.timeout !== undefined && !(Number(f.timeout) >= 15 && Number(f.timeout) <= 90))
        return 'redirect `timeout` must be between 15 and 90 seconds.';
      return undefined;
    case 'transfer':
      return object('transferTarget') ? undefined : 'transfer needs `transferTarget`.';
    case 'changeScreenSharingRole':
      return oneOf('role', ['viewer', 'sharer'])
        ? undefined
        : 'changeScreenSharingRole needs `role`: viewer or sharer.';
    case 'playPrompt':
      if (!list('prompts')) return 'playPrompt needs `prompts` (mediaPrompt list).';
      if ((f.prompts as unknown[]).length > 20) return 'playPrompt takes at most 20 `prompts`.';
      return undefined;
    case 'recordResponse':
      if (Array.isArray(f.prompts) && f.prompts.length > 1)
        return 'recordResponse takes at most 1 prompt in `prompts`.';
      if (
        f.maxRecordDurationInSeconds !== undefined &&
        !(Number(f.maxRecordDurationInSeconds) >= 1 && Number(f.maxRecordDurationInSeconds) <= 120)
      )
        return 'recordResponse `maxRecordDurationInSeconds` must be between 1 and 120.';
      return undefined;
    case 'sendDtmfTones':
      return list('tones') ? undefined : 'sendDtmfTones needs `tones` (a list of tones).';
    case 'updateRecordingStatus':
      return oneOf('status', ['notRecording', 'recording', 'failed'])
        ? undefined
        : 'updateRecordingStatus needs `status`: notRecording, recording or failed.';
    case 'inviteParticipants':
      return list('participants')
        ? undefined
        : 'invite needs `participants` (invitationParticipantInfo list).';
    case 'create':
      if (!isAbsoluteHttpUrl(f.callbackUri))
        return 'create needs `callbackUri`, the absolute URL that receives the call notifications.';
      if (!list('requestedModalities'))
        return 'create needs `requestedModalities`, e.g. ["audio"].';
      if (!list('targets') && !object('meetingInfo'))
        return 'create needs `targets` (a call) or `meetingInfo` and `chatInfo` (join a meeting).';
      if (object('meetingInfo') && !object('chatInfo'))
        return 'create needs `chatInfo` with `meetingInfo` to join a meeting.';
      return mediaConfigProblem('create', f.mediaConfig);
    default:
      return undefined;
  }
}

function mediaConfigProblem(kind: string, mediaConfig: unknown): string | undefined {
  if (typeof mediaConfig !== 'object' || mediaConfig === null) {
    return `${kind} needs \`mediaConfig\` (serviceHostedMediaConfig or appHostedMediaConfig).`;
  }
  const type = (mediaConfig as { '@odata.type'?: unknown })['@odata.type'];
  if (
    type !== undefined &&
    !/^#?microsoft\.graph\.(serviceHostedMediaConfig|appHostedMediaConfig)$/.test(String(type))
  ) {
    return `${kind} \`mediaConfig\` must be a serviceHostedMediaConfig or an appHostedMediaConfig, not ${String(type)}.`;
  }
  return undefined;
}

/** Whether a body uses application-hosted media (needs Calls.AccessMedia.All). */
export function usesAppHostedMedia(body: unknown): boolean {
  const type = (body as { mediaConfig?: { '@odata.type'?: unknown } } | undefined)?.mediaConfig?.[
    '@odata.type'
  ];
  return typeof type === 'string' && /appHostedMediaConfig$/.test(type);
}

/**
 * The application permissions (`roles`) a request needs, any one of them
 * sufficing; modelled on Microsoft's v1.0 permission tables.
 */
export function requiredRoles(kind: GraphActionKind, body: unknown): string[][] {
  const anyCalls = [
    'Calls.AccessMedia.All',
    'Calls.Initiate.All',
    'Calls.InitiateGroupCall.All',
    'Calls.JoinGroupCall.All',
    'Calls.JoinGroupCallAsGuest.All',
  ];
  const needs: string[][] = [anyCalls];
  const fields = (body ?? {}) as { targets?: unknown; meetingInfo?: unknown };
  if (kind === 'create') {
    if (fields.meetingInfo !== undefined)
      needs.push(['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All']);
    else if (Array.isArray(fields.targets) && fields.targets.length > 1)
      needs.push(['Calls.InitiateGroupCall.All']);
    else needs.push(['Calls.Initiate.All']);
  }
  if (kind === 'inviteParticipants') needs.push(['Calls.InitiateGroupCall.All']);
  if ((kind === 'answer' || kind === 'create') && usesAppHostedMedia(body))
    needs.push(['Calls.AccessMedia.All']);
  return needs;
}

export function isAbsoluteHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
