import { type CallsClient, type CallsCredential, createCallsClient } from '@callgate/calls';
import {
  type CallWebhook,
  createCallWebhook,
  type IncomingCallEvent,
  type Logger,
  selectByCallerRegion,
} from '@callgate/core';
import { createExpressMiddleware } from '@callgate/express';
import express, { type Express } from 'express';
import type { BotConfig } from './config';
import { type CallPlan, planFor } from './scenarioPlan';

/** A running bot's parts: the Express app, the callgate webhook inside it, its Graph calls client. */
export interface Bot {
  app: Express;
  webhook: CallWebhook;
  /** The Graph calls client, linked to the webhook: it follows every call (state, roster, keepAlive). */
  graph: CallsClient;
  /** Calls this instance holds state for (its partition's calls), by call id. */
  calls: Map<string, CallPlan>;
}

/**
 * The demo bot: Express + `@callgate/express`, and `@callgate/calls` for
 * everything it says to Graph. It answers incoming calls with a partitioned
 * `callbackUri`, sends callers of other regions to their deployment, plays a
 * prompt and awaits its completion, logs roster changes, keeps calls alive,
 * and handles every event type.
 */
export function createBot(config: BotConfig, credential: CallsCredential, logger: Logger): Bot {
  const calls = new Map<string, CallPlan>();
  const path = new URL(config.publicUrl).pathname;
  const webhook = createCallWebhook({
    appId: config.appId,
    auth: { cloud: config.cloud, ...(config.issuers ? { issuers: config.issuers } : {}) },
    routing: {
      region: {
        self: config.deployment,
        deployments: config.deployments,
        select: selectByCallerRegion(config.regionMap),
      },
      partition: {
        self: config.partition,
        url: (partition) => config.partitions[partition] ?? config.publicUrl,
        misrouted: 'redirect',
      },
    },
    logger,
    onError: (error, { event }) =>
      logger.error({ err: error, callId: event.callId }, `handler failed for ${event.type}`),
  });

  const graph = createCallsClient({
    credential,
    webhook, // answer() passes this instance's partitioned callbackUri and the call's deadline
    baseUrl: config.graphUrl,
    ...(config.graphUrl.startsWith('https://graph.microsoft.com')
      ? {}
      : { scope: 'https://graph.microsoft.com/.default' }),
    keepAlive: { interval: config.keepAliveInterval },
    logger,
  });
  graph.on('participantsChanged', (call, { joined, left }) => {
    logger.info(
      { callId: call.callId },
      `call ${call.callId} roster: +${joined.length} -${left.length}, ${call.participants.length} now`,
    );
  });
  graph.on('callEnded', (call, ending) => {
    const result = ending.resultInfo
      ? `${ending.resultInfo.code}/${ending.resultInfo.subcode}`
      : 'no resultInfo';
    logger.info(
      { callId: call.callId },
      `stopped following call ${call.callId}: ${ending.reason} (${result})`,
    );
  });

  webhook.on('incomingCall', async (event, ctx) => {
    const plan = planFor(callerName(event));
    const callId = event.callId;
    if (callId === undefined) return;
    if (plan.onIncoming === 'ignore') {
      logger.info({ callId }, `not answering call ${callId} (scenario: the bot never answers)`);
      return;
    }
    if (plan.onIncoming === 'reject') {
      await graph.reject(callId, { reason: 'busy' });
      logger.info({ callId }, `rejected call ${callId}`);
      return;
    }
    calls.set(callId, plan);
    const callbackUri = webhook.callbackUri();
    await graph.answer(callId, { acceptedModalities: ['audio'] });
    const left = ctx.deadline ? ctx.deadline.getTime() - Date.now() : Number.NaN;
    logger.info(
      { callId },
      `answered call ${callId} with callbackUri ${callbackUri} (${Math.round(left / 1000)} s before the deadline)`,
    );
  });

  webhook.on('callStateChanged', async (event, ctx) => {
    logger.info(
      { callId: event.callId },
      `call ${event.callId} is ${event.state} (partition ${ctx.partition ?? '-'})`,
    );
    const plan = event.callId ? calls.get(event.callId) : undefined;
    if (event.state !== 'established' || event.callId === undefined || plan === undefined) return;
    if (plan.onEstablished === 'transfer') {
      await graph.transfer(event.callId, {
        transferTarget: {
          endpointType: 'default',
          identity: {
            user: { id: '2c5ff1e2-6b1c-4e58-a2cb-26d1a0b7e3a1', displayName: 'Reception' },
          },
        },
      });
      logger.info({ callId: event.callId }, `transferring call ${event.callId} to Reception`);
    } else if (plan.onEstablished === 'playPrompt' || plan.onEstablished === 'promptThenHangUp') {
      const operation = await graph.playPrompt(event.callId, {
        clientContext: `welcome-${event.callId}`,
        prompts: [
          {
            mediaInfo: {
              uri: 'https://bot.example.com/audio/welcome.wav',
              resourceId: `welcome-${event.callId}`,
            },
          },
        ],
      });
      logger.info({ callId: event.callId }, `playing the welcome prompt in call ${event.callId}`);
      if (operation.id === undefined) return;
      const done = await graph.completion(event.callId, operation.id);
      logger.info(
        { callId: event.callId },
        `the welcome prompt completed in call ${event.callId} (operation ${done.operationId})`,
      );
      if (plan.onEstablished === 'promptThenHangUp') {
        await graph.hangUp(event.callId);
        logger.info({ callId: event.callId }, `hung up call ${event.callId}`);
      }
    }
  });

  webhook.on('participantsUpdated', (event) => {
    logger.info(
      { callId: event.callId },
      `call ${event.callId} roster: ${event.participants.length} participant(s)`,
    );
  });

  webhook.on('operationCompleted', (event) => {
    logger.info(
      { callId: event.callId },
      `operation ${event.operationKind ?? 'unknown'} ${event.status ?? ''} in call ${event.callId} (clientContext ${event.clientContext ?? '-'})`,
    );
  });

  webhook.on('callTerminated', (event) => {
    if (event.callId) calls.delete(event.callId);
    const result = event.resultInfo
      ? `${event.resultInfo.code}/${event.resultInfo.subcode}`
      : 'no resultInfo';
    logger.info({ callId: event.callId }, `call ${event.callId} ended (${result})`);
  });

  webhook.on('unknown', (event) => {
    logger.info(
      { callId: event.callId },
      `kept an unrecognised notification for ${event.resource}`,
    );
  });

  const app = express();
  app.disable('x-powered-by');
  app.post(path, createExpressMiddleware(webhook));
  app.get('/healthz', (_req, res) => {
    res.json({
      ok: true,
      deployment: config.deployment,
      partition: config.partition,
      calls: calls.size,
      tracked: graph.trackedCalls().filter((call) => call.terminated === undefined).length,
    });
  });
  return { app, webhook, graph, calls };
}

function callerName(event: IncomingCallEvent): string | undefined {
  const identity = event.source?.identity as
    | Record<string, { displayName?: unknown } | undefined>
    | undefined;
  const name = identity?.user?.displayName ?? identity?.application?.displayName;
  return typeof name === 'string' ? name : undefined;
}
