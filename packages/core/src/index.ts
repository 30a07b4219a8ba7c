export { CallgateError, ConfigError } from './errors';
export type { ConfigErrorCode } from './errors';
export { deferredBody, bodyReaderOf } from './http/types';
export type {
  BodyReader,
  DeferredBody,
  HeaderMap,
  WebhookRequest,
  WebhookResponse,
} from './http/types';
export * from './notifications/index';
export * from './auth/index';
export type { HandleOptions, WebhookHandler } from './webhook/types';
