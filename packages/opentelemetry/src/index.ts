export { instrumentCallgate } from './instrumentCallgate';
export type { CallgateTelemetry, InstrumentCallgateOptions } from './instrumentCallgate';
export { ATTR as CALLGATE_ATTRIBUTES } from './attributeNames';
