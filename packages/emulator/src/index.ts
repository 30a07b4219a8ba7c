export { connectDevIssuer } from './connectDevIssuer';
export type { RemoteDevIssuer } from './connectDevIssuer';
export { connectMockGraph } from './connectMockGraph';
export { CALLS_ROLES, devCredential } from './devCredential';
export type { DevCredential, DevCredentialOptions } from './devCredential';
export { EmulatorError } from './EmulatorError';
export type { EmulatorErrorCode } from './EmulatorError';
export { CALLING_SERVICE_APP_ID, devIssuerProfiles } from './issuerProfile';
export type {
  DevAadIssuerProfile,
  DevBotFrameworkIssuerProfile,
  DevIssuerProfile,
} from './issuerProfile';
export type { Identity, ResultInfo, RosterEntry } from './notifications';
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
export { listScenarios, scenarios, suites } from './scenarios';
export { DEV_APP_ID, DEV_TENANT_ID, startDevIssuer } from './startDevIssuer';
export type {
  DevTokenClaims,
  DevIssuer,
  DevIssuerOptions,
  DevIssuerStats,
  MintTokenOptions,
  TokenKind,
  TokenMinter,
} from './startDevIssuer';
export { startMockGraph } from './startMockGraph';
export type {
  CallControl,
  CallRegistration,
  GraphAction,
  GraphActionKind,
  GraphEvent,
  GraphFault,
  GraphNotificationKind,
  GraphObserver,
  MockGraph,
  MockGraphOptions,
  NotificationAttempt,
} from './startMockGraph';
