export { createFetchHandler } from './createFetchHandler';
export type { FetchHandler, FetchHandlerOptions } from './createFetchHandler';
export { readWebStream } from './readWebStream';
