import type { CallEvent } from '../notifications/index';
import type { CallContext } from './CallContext';

/**
 * Sees every accepted event synchronously, in the order notifications arrive,
 * before any handler of it is queued: the hook a call tracker uses (e.g.
 * `@callgate/calls`), so that state read inside a handler is already current
 * and an awaited operation completes even while a handler of the same call is
 * still running. It must be quick and must not throw (a throw is logged and
 * ignored). Register one with `webhook.observe`.
 */
export type CallObserver = (event: CallEvent, context: CallContext) => void;
