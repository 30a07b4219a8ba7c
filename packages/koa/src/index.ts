export { createKoaMiddleware } from './createKoaMiddleware';
export type { KoaMiddlewareOptions } from './createKoaMiddleware';
export { koaRequestBody } from './koaRequestBody';
export type { ParsedKoaRequest } from './koaRequestBody';
