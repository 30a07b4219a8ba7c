import type { Cloud } from '@callgate/core';
import type { CallsMethodName } from './CallsClient';

/** A Graph deployment: its root and which calls methods it does not offer. */
export interface CallsCloud {
  /** The Graph service root, e.g. `https://graph.microsoft.us`. */
  readonly graphRoot: string;
  /** Human name used in error messages. */
  readonly name: string;
  /** Methods Microsoft's reference says this cloud does not offer; `all` for none at all. */
  readonly unavailable: 'all' | readonly CallsMethodName[];
}

/*
 * Which calls APIs each national cloud offers, from the "This API is available
 * in the following national cloud deployments" table of each v1.0 reference
 * page (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/*.md,
 * the include `global-us.md` = Global ✔ US Gov L4 ✔ US Gov L5 (DOD) ✔ China ✘,
 * `global-only.md` = Global only), read on 2026-11-27:
 *
 * - global-us: call-answer, call-reject, call-changescreensharingrole,
 *   call-keepalive, call-mute (include in the source); call-playprompt,
 *   call-record (recordResponse), call-subscribetotone, participant-startholdmusic,
 *   application-post-calls (create) (rendered table on learn.microsoft.com).
 * - global-only: call-senddtmftones (include `global-only.md`).
 * - No page of the calls family lists China operated by 21Vianet, so `china`
 *   offers none of them.
 * - The remaining pages (redirect, transfer, unmute, updateRecordingStatus,
 *   cancelMediaProcessing, participant invite/mute/delete/get/list,
 *   stopHoldMusic, call get/delete) were not checked one by one (the copies we
 *   could read predate the table); they are assumed to follow the family
 *   (global-us). Pass `baseUrl` + `scope` instead of `cloud` to skip this check.
 */
export const CALLS_CLOUDS: Readonly<Record<Cloud, CallsCloud>> = Object.freeze({
  public: { graphRoot: 'https://graph.microsoft.com', name: 'the global service', unavailable: [] },
  gcch: {
    graphRoot: 'https://graph.microsoft.us',
    name: 'US Government L4 (GCC High)',
    unavailable: ['sendDtmfTones'],
  },
  dod: {
    graphRoot: 'https://dod-graph.microsoft.us',
    name: 'US Government L5 (DOD)',
    unavailable: ['sendDtmfTones'],
  },
  china: {
    graphRoot: 'https://microsoftgraph.chinacloudapi.cn',
    name: 'China operated by 21Vianet',
    unavailable: 'all',
  },
});
