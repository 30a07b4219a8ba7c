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
import type { GraphClient } from './graphClient';
import { type CallPlan, planFor } from './scenarioPlan';

/** A running bot's parts: the Express app and the callgate webhook inside it. */
export interface Bot {
  app: Express;
  webhook: CallWebhook;
  /** Calls this instance holds state for (its partition's calls), by call id. */
  calls: Map<string, CallPlan>;
}

/**
 * The demo bot: Express + `@callgate/express`. It answers incoming calls with
 * a partitioned `callbackUri`, sends callers of other regions to their
 * deployment, and handles every event type.
 */
export function createBot(config: BotConfig, graph: GraphClient, logger: Logger): Bot {
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

  webhook.on('incomingCall', async (event, ctx) => {
    const plan = planFor(callerName(event));
    const callId = event.callId;
    if (callId === undefined) return;
    if (plan.onIncoming === 'ignore') {
      logger.info({ callId }, `not answering call ${callId} (scenario: the bot never answers)`);
      return;
    }
    if (plan.onIncoming === 'reject') {
      await graph.reject(callId, 'busy');
      logger.info({ callId }, `rejected call ${callId}`);
      return;
    }
    calls.set(callId, plan);
    const callbackUri = webhook.callbackUri();
    await graph.answer(callId, { callbackUri, acceptedModalities: ['audio'] });
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
        userId: '2c5ff1e2-6b1c-4e58-a2cb-26d1a0b7e3a1',
        displayName: 'Reception',
      });
      logger.info({ callId: event.callId }, `transferring call ${event.callId} to Reception`);
    } else if (plan.onEstablished === 'playPrompt') {
      await graph.playPrompt(
        event.callId,
        `welcome-${event.callId}`,
        'https://bot.example.com/audio/welcome.wav',
      );
      logger.info({ callId: event.callId }, `playing the welcome prompt in call ${event.callId}`);
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
    });
  });
  return { app, webhook, calls };
}

function callerName(event: IncomingCallEvent): string | undefined {
  const identity = event.source?.identity as
    | Record<string, { displayName?: unknown } | undefined>
    | undefined;
  const name = identity?.user?.displayName ?? identity?.application?.displayName;
  return typeof name === 'string' ? name : undefined;
}
