/**
 * One spelling of an id Graph writes several ways (`0FE0623F…` without dashes
 * in notification URLs, lower-case GUIDs with dashes in responses).
 */
export function canonicalId(id: string): string {
  return id.replace(/[{}-]/g, '').toLowerCase();
}
