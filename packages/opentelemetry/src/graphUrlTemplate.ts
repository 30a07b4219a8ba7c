/** Graph collections whose next path segment is an id. */
const COLLECTIONS = new Set([
  'calls',
  'participants',
  'operations',
  'audioRoutingGroups',
  'contentSharingSessions',
  'onlineMeetings',
  'users',
  'applications',
]);

/**
 * A Graph request path with its ids replaced by `{id}`, fit for a span name
 * and `url.template`: `/v1.0/communications/calls/{id}/answer`.
 */
export function graphUrlTemplate(path: string): string {
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    if (COLLECTIONS.has(segments[i - 1] ?? '') && segments[i] !== '') segments[i] = '{id}';
  }
  return segments.join('/');
}

const ANSWERING = /\/communications\/calls\/([^/]+)\/(answer|redirect|reject)$/;

/** For `POST .../calls/{id}/answer|redirect|reject`: the call id and the operation. */
export function answeringRequest(path: string): { callId: string; operation: string } | undefined {
  const match = ANSWERING.exec(path);
  return match === null
    ? undefined
    : { callId: decoded(match[1] ?? ''), operation: match[2] ?? '' };
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
