import { describe, expect, it } from 'vitest';
import { CALLING_SERVICE_APP_ID, CLOUD_PRESETS, issuerProfilesFor } from './cloudPresets';
import { isAllowedKeyUrl } from './isAllowedKeyUrl';

describe('cloud presets', () => {
  it('trusts the documented public-cloud issuers and metadata', () => {
    expect(issuerProfilesFor('public')).toEqual([
      {
        kind: 'botframework',
        issuers: ['https://api.botframework.com', 'https://graph.microsoft.com'],
        openIdConfigurationUrl: 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration',
      },
      {
        kind: 'aad',
        issuerTemplates: [
          'https://sts.windows.net/{tenantid}/',
          'https://login.microsoftonline.com/{tenantid}/v2.0',
        ],
        openIdConfigurationUrl:
          'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
        appIds: ['26a18ebc-cdf7-4a6a-91cb-beb352805e81'],
      },
    ]);
    expect(CALLING_SERVICE_APP_ID).toBe('26a18ebc-cdf7-4a6a-91cb-beb352805e81');
  });

  it.each([
    [
      'gcch',
      'https://api.botframework.us',
      'https://login.botframework.azure.us/',
      'https://login.microsoftonline.us/',
    ],
    [
      'dod',
      'https://api.botframework.us',
      'https://login.botframework.azure.us/',
      'https://login.microsoftonline.us/',
    ],
    [
      'china',
      'https://api.botframework.azure.cn',
      'https://login.botframework.azure.cn/',
      'https://login.partner.microsoftonline.cn/',
    ],
  ] as const)(
    'points %s at its national-cloud endpoints',
    (cloud, botIssuer, botMetadata, entra) => {
      const [bot, aad] = issuerProfilesFor(cloud);
      expect(bot).toMatchObject({ kind: 'botframework', issuers: [botIssuer] });
      expect(bot!.openIdConfigurationUrl.startsWith(botMetadata)).toBe(true);
      expect(aad!.kind).toBe('aad');
      expect(aad!.openIdConfigurationUrl.startsWith(entra)).toBe(true);
      expect(aad).toMatchObject({ appIds: [CALLING_SERVICE_APP_ID] });
      if (aad?.kind === 'aad') {
        expect(aad.issuerTemplates.some((t) => t.startsWith(entra))).toBe(true);
      }
    },
  );

  it('never mixes public-cloud endpoints into national clouds', () => {
    for (const cloud of ['gcch', 'dod', 'china'] as const) {
      const text = JSON.stringify(CLOUD_PRESETS[cloud]);
      expect(text).not.toContain('botframework.com');
      expect(text).not.toContain('login.microsoftonline.com');
      expect(text).not.toContain('skype.com');
    }
  });

  it('uses only https metadata URLs and templates with one {tenantid}', () => {
    for (const profiles of Object.values(CLOUD_PRESETS)) {
      for (const profile of profiles) {
        expect(profile.openIdConfigurationUrl.startsWith('https://')).toBe(true);
        if (profile.kind === 'aad') {
          for (const template of profile.issuerTemplates) {
            expect(template.split('{tenantid}')).toHaveLength(2);
          }
        }
      }
    }
  });

  it('is frozen, and issuerProfilesFor returns copies', () => {
    expect(Object.isFrozen(CLOUD_PRESETS.public[0])).toBe(true);
    const copy = issuerProfilesFor('public');
    copy.pop();
    expect(issuerProfilesFor('public')).toHaveLength(2);
  });
});

describe('isAllowedKeyUrl', () => {
  it.each([
    ['https://login.microsoftonline.com/common/discovery/v2.0/keys', true],
    ['http://127.0.0.1:3978/keys', true],
    ['http://127.1/keys', true],
    ['http://127.255.0.9/keys', true],
    ['http://localhost:8080/keys', true],
    ['http://[::1]:8080/keys', true],
    ['http://keys.example/keys', false],
    ['http://10.0.0.1/keys', false],
    ['http://128.0.0.1/keys', false],
    ['http://localhost.evil.example/keys', false],
    ['http://127.0.0.1.evil.example/keys', false],
    ['http://[::ffff:7f00:1]/keys', false],
    ['ftp://127.0.0.1/keys', false],
    ['file:///etc/keys', false],
    ['https://user:pass@login.example/keys', false],
    ['not a url', false],
  ])('%s -> %s', (url, allowed) => {
    expect(isAllowedKeyUrl(url)).toBe(allowed);
  });
});
