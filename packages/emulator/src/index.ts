export { connectDevIssuer } from './connectDevIssuer';
export type { RemoteDevIssuer } from './connectDevIssuer';
export { connectMockGraph } from './connectMockGraph';
export { EmulatorError } from './EmulatorError';
export type { EmulatorErrorCode } from './EmulatorError';
export { CALLING_SERVICE_APP_ID } from './issuerProfile';
export type {
  DevAadIssuerProfile,
  DevBotFrameworkIssuerProfile,
  DevIssuerProfile,
} from './issuerProfile';
export type { Identity, ResultInfo } from './notifications';
export { callerDisplayName, playScenario } from './playScenario';
export type { PlayOptions } from './playScenario';
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
export { DEV_APP_ID, DEV_TENANT_ID, startDevIssuer } from './startDevIssuer';
export type {
  DevIssuer,
  DevIssuerOptions,
  DevIssuerStats,
  MintTokenOptions,
  TokenKind,
  TokenMinter,
} from './startDevIssuer';
export { startMockGraph } from './startMockGraph';
export type {
  GraphAction,
  GraphActionKind,
  GraphObserver,
  MockGraph,
  MockGraphOptions,
} from './startMockGraph';
