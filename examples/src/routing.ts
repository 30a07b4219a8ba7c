// routing.ts: region affinity and stateful (partitioned) routing.
import { createCallWebhook, selectByCallerRegion } from '@callgate/core';

export const webhook = createCallWebhook({
  appId: process.env.BOT_APP_ID ?? '',
  routing: {
    // Region affinity: only an incoming call is ever redirected, only to a configured URL.
    region: {
      self: 'emea',
      deployments: {
        emea: 'https://emea.bot.contoso.com/api/calls',
        amer: 'https://amer.bot.contoso.com/api/calls',
      },
      select: selectByCallerRegion({ westus: 'amer', eastus: 'amer', westeurope: 'emea' }), // or selectByTenant({...})
    },
    // Stateful routing: the callbackUri names the partition that holds the call's state.
    partition: {
      self: process.env.POD_PARTITION ?? 'p3',
      url: (partition) => `https://bot.contoso.com/api/calls/${partition}`,
      misrouted: 'redirect', // or 'accept' (default), 'reject' (421)
    },
  },
});
webhook.callbackUri(); // https://bot.contoso.com/api/calls/p3?callgate-partition=p3
webhook.callbackUri({ partition: 'p7' }); // for a call another instance will hold
