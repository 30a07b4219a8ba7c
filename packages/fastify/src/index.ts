import { fastifyCallgate } from './fastifyCallgate';

export { fastifyCallgate };
export type { FastifyCallgateOptions } from './fastifyCallgate';
export default fastifyCallgate;
