import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import type { CallsCredential } from '@callgate/calls';
import { devCredential } from '@callgate/emulator';
import type { BotConfig } from './config';

/**
 * Where the bot's app-only Graph tokens come from: the app registration's
 * client secret or certificate, or a managed identity (real tenant), else the
 * emulator's dev credential (emulator mode).
 */
export function graphCredential(config: BotConfig): CallsCredential {
  const { appId, graphTenantId } = config;
  if (config.appSecret !== undefined || config.certificatePath !== undefined) {
    if (graphTenantId === undefined)
      throw new Error('CALLGATE_TENANT_ID is required with a client secret or certificate');
    return config.appSecret !== undefined
      ? new ClientSecretCredential(graphTenantId, appId, config.appSecret)
      : new ClientCertificateCredential(graphTenantId, appId, {
          certificatePath: config.certificatePath!,
        });
  }
  if (config.managedIdentity !== undefined) {
    return config.managedIdentity === 'system'
      ? new ManagedIdentityCredential()
      : new ManagedIdentityCredential({ clientId: config.managedIdentity });
  }
  if (config.emulatorUrl !== undefined) return devCredential(config.emulatorUrl, { appId });
  throw new Error(
    'no Graph credential: set CALLGATE_APP_SECRET (or CALLGATE_CERTIFICATE_PATH, or CALLGATE_MANAGED_IDENTITY) and CALLGATE_TENANT_ID',
  );
}
