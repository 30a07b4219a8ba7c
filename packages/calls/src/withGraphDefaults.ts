/*
 * What the client adds to a body, and only when the caller left it out:
 * the `@odata.type` of properties whose Graph type is abstract (a `prompt`, a
 * `mediaConfig`, `callOptions`, a `meetingInfo`) when the subtype is
 * unambiguous, a default `serviceHostedMediaConfig` for answer and create, and
 * `callbackUri` from the linked webhook. Nothing is renamed or dropped, and the
 * caller's objects are never modified (changed levels are copied).
 */

type Body = Record<string, unknown>;

const MEDIA_PROMPT = '#microsoft.graph.mediaPrompt';
const SERVICE_HOSTED = '#microsoft.graph.serviceHostedMediaConfig';
const APP_HOSTED = '#microsoft.graph.appHostedMediaConfig';

const isObject = (value: unknown): value is Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` with `@odata.type` set to `type` if it is an object without one. */
function typed(value: unknown, type: string): unknown {
  if (!isObject(value) || value['@odata.type'] !== undefined) return value;
  return { '@odata.type': type, ...value };
}

function withPromptTypes(body: Body, key: string): Body {
  const prompts = body[key];
  if (!Array.isArray(prompts)) return body;
  return { ...body, [key]: prompts.map((prompt) => typed(prompt, MEDIA_PROMPT)) };
}

function withMediaConfig(body: Body): Body {
  const config = body.mediaConfig;
  if (config === undefined) return { ...body, mediaConfig: { '@odata.type': SERVICE_HOSTED } };
  if (!isObject(config)) return body;
  return { ...body, mediaConfig: typed(config, 'blob' in config ? APP_HOSTED : SERVICE_HOSTED) };
}

function withCallOptions(body: Body, type: string): Body {
  return body.callOptions === undefined
    ? body
    : { ...body, callOptions: typed(body.callOptions, type) };
}

function withCallbackUri(body: Body, callbackUri: (() => string) | undefined): Body {
  if (body.callbackUri !== undefined || callbackUri === undefined) return body;
  return { ...body, callbackUri: callbackUri() };
}

function withMeetingInfoType(body: Body): Body {
  const info = body.meetingInfo;
  if (!isObject(info) || info['@odata.type'] !== undefined) return body;
  if (info.joinMeetingId !== undefined)
    return { ...body, meetingInfo: typed(info, '#microsoft.graph.joinMeetingIdMeetingInfo') };
  if (info.organizer !== undefined)
    return { ...body, meetingInfo: typed(info, '#microsoft.graph.organizerMeetingInfo') };
  return body;
}

export function answerBody(body: Body, callbackUri: (() => string) | undefined): Body {
  return withCallOptions(
    withMediaConfig(withCallbackUri(body, callbackUri)),
    '#microsoft.graph.incomingCallOptions',
  );
}

export function redirectBody(body: Body, callbackUri: (() => string) | undefined): Body {
  return withCallbackUri(body, callbackUri);
}

export function promptsBody(body: Body): Body {
  return withPromptTypes(body, 'prompts');
}

export function holdMusicBody(body: Body): Body {
  return body.customPrompt === undefined
    ? body
    : { ...body, customPrompt: typed(body.customPrompt, MEDIA_PROMPT) };
}

export function createBody(body: Body, callbackUri: (() => string) | undefined): Body {
  return withMeetingInfoType(
    withCallOptions(
      withMediaConfig(withCallbackUri(body, callbackUri)),
      '#microsoft.graph.outgoingCallOptions',
    ),
  );
}
