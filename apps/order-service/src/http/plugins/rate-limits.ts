import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimits } from '../../config/identity.ts';
import { callerKey, isServiceCaller } from '../../application/caller.ts';
import { HttpProblemError } from '../http-problem-error.ts';
import { callerOf } from '../access.ts';

export type { RateLimits };

/**
 * Per-caller limits (iss + sub) with @fastify/rate-limit, checked after authentication and before the
 * body is parsed: one noisy client slows only itself. Counters are per process (in memory), so the
 * service-wide limit is the per-pod one times the replicas.
 */
export const rateLimits = fp<{ limits: RateLimits }>(
  async (app: FastifyInstance, { limits }) => {
    await app.register(rateLimit, {
      hook: 'preParsing',
      timeWindow: limits.windowMs,
      keyGenerator: (request) => callerKey(callerOf(request)),
      max: (request) => (isServiceCaller(callerOf(request)) ? limits.serviceMax : limits.userMax),
      // Thrown by the plugin; problem-details renders it (the plugin has set Retry-After already).
      errorResponseBuilder: (_request, context) =>
        new HttpProblemError('rate_limited', `Too many requests; retry in ${context.after}.`),
    });
  },
  { name: 'rate-limits' },
);
