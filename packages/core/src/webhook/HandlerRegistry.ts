import { ConfigError } from '../errors';
import type { CallEvent, CallEventMap } from '../notifications/index';
import type { CallContext } from './CallContext';

/** Event names `webhook.on` accepts: each event type, plus `notification` for all of them. */
export type WebhookEventName = keyof CallEventMap | 'notification';

/** The event a handler of `name` receives. */
export type WebhookEventOf<Name extends WebhookEventName> = Name extends keyof CallEventMap
  ? CallEventMap[Name]
  : CallEvent;

/** A handler of events named `Name`. */
export type WebhookEventHandler<Name extends WebhookEventName = WebhookEventName> = (
  event: WebhookEventOf<Name>,
  context: CallContext,
) => void | Promise<void>;

type AnyHandler = (event: CallEvent, context: CallContext) => void | Promise<void>;

/** Handlers by event name, in registration order. */
export class HandlerRegistry {
  readonly #handlers = new Map<string, AnyHandler[]>();
  readonly #names: ReadonlySet<string>;

  constructor(eventTypes: readonly string[]) {
    this.#names = new Set([...eventTypes, 'notification']);
  }

  add(name: string, handler: AnyHandler): () => void {
    if (!this.#names.has(name)) {
      throw new ConfigError(
        `webhook.on(${JSON.stringify(name)}): unknown event; use one of ${[...this.#names].join(', ')}`,
      );
    }
    if (typeof handler !== 'function') {
      throw new ConfigError(
        `webhook.on(${JSON.stringify(name)}, handler): handler must be a function`,
      );
    }
    const list = this.#handlers.get(name) ?? [];
    list.push(handler);
    this.#handlers.set(name, list);
    return () => {
      const current = this.#handlers.get(name);
      const index = current?.indexOf(handler) ?? -1;
      if (current && index !== -1) current.splice(index, 1);
    };
  }

  /** Whether any handler would run for `event` (its type's or `notification`'s). */
  handles(event: CallEvent): boolean {
    return (
      (this.#handlers.get(event.type)?.length ?? 0) > 0 ||
      (this.#handlers.get('notification')?.length ?? 0) > 0
    );
  }

  /** The handlers one event runs, in order: its own type's, then `notification`'s. */
  handlersFor(event: CallEvent): AnyHandler[] {
    return [
      ...(this.#handlers.get(event.type) ?? []),
      ...(this.#handlers.get('notification') ?? []),
    ];
  }
}
