/*
 * Reading Graph resource paths: `/communications/calls/{id}/...` (resourceUrl)
 * and `/app/calls/{id}/...` (resource). Prefixes match in any casing; ids are
 * kept exactly as given, since Graph echoes them in several spellings.
 */

const CALL_PATH = /^\/?(?:communications|app)\/calls\/([^/?#]+)(.*)$/is;
const END = /^\/?(?:[?#].*)?$/;
const PARTICIPANTS_TAIL = /^\/participants(?:\/[^/?#]+)?\/?(?:[?#].*)?$/i;
const OPERATION_ID = /\/operations\/([^/?#]+)/i;

/** The call id of `/communications/calls/{id}...` or `/app/calls/{id}...`, else undefined. */
export function callIdOfPath(path: string | undefined): string | undefined {
  return path === undefined ? undefined : CALL_PATH.exec(path)?.[1];
}

/** The path names the call itself, not something inside it. */
export function isCallPath(path: string): boolean {
  const tail = CALL_PATH.exec(path)?.[2];
  return tail !== undefined && END.test(tail);
}

/** The path names a call's participants collection or one participant. */
export function isParticipantsPath(path: string): boolean {
  const tail = CALL_PATH.exec(path)?.[2];
  return tail !== undefined && PARTICIPANTS_TAIL.test(tail);
}

/** The id in `.../operations/{id}`, else undefined. */
export function operationIdOfPath(path: string | undefined): string | undefined {
  return path === undefined ? undefined : OPERATION_ID.exec(path)?.[1];
}
