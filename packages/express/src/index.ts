export { createExpressMiddleware } from './createExpressMiddleware';
export type { ExpressMiddlewareOptions } from './createExpressMiddleware';
