export { AUTH_ERROR_CODES, AuthError, authErrorResponseHeaders } from './AuthError';
export type { AuthErrorCode } from './AuthError';
export { CALLING_SERVICE_APP_ID, CLOUD_PRESETS, issuerProfilesFor } from './cloudPresets';
export { createTokenVerifier } from './createTokenVerifier';
export { isAllowedKeyUrl } from './isAllowedKeyUrl';
export { readBearerToken } from './readBearerToken';
export type {
  AadIssuerProfile,
  AuthLogger,
  BotFrameworkIssuerProfile,
  Cloud,
  IssuerProfile,
  KeyCacheOptions,
  TokenClaims,
  TokenVerifier,
  TokenVerifierOptions,
  TokenVerifierStats,
  VerifiedCaller,
} from './types';
