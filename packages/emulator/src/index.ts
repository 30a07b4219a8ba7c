export { connectDevIssuer } from './connect-dev-issuer';
export type { RemoteDevIssuer } from './connect-dev-issuer';
export { connectMockGraph } from './connect-mock-graph';
export { EmulatorError } from './emulator-error';
export type { EmulatorErrorCode } from './emulator-error';
export { CALLING_SERVICE_APP_ID } from './issuer-profile';
export type {
  DevAadIssuerProfile,
  DevBotFrameworkIssuerProfile,
  DevIssuerProfile,
} from './issuer-profile';
export type { Identity, ResultInfo } from './notifications';
export { callerDisplayName, playScenario } from './play-scenario';
export type { PlayOptions } from './play-scenario';
export type {
  PostOptions,
  PostOutcome,
  Scenario,
  ScenarioCall,
  ScenarioResult,
  ScenarioStep,
  StatusExpectation,
  TokenVariant,
} from './scenario';
export { listScenarios, scenarios } from './scenarios';
export { DEV_APP_ID, DEV_TENANT_ID, startDevIssuer } from './start-dev-issuer';
export type {
  DevIssuer,
  DevIssuerOptions,
  DevIssuerStats,
  MintTokenOptions,
  TokenKind,
  TokenMinter,
} from './start-dev-issuer';
export { startMockGraph } from './start-mock-graph';
export type {
  GraphAction,
  GraphActionKind,
  GraphObserver,
  MockGraph,
  MockGraphOptions,
} from './start-mock-graph';
