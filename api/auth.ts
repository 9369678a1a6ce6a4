import bearerAuth from '@fastify/bearer-auth';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { userByToken, type Models, type UserRole } from '../models/index.js';

export interface AuthOptions {
  /** Reads need a token too (the server listens beyond loopback). */
  readonly readsNeedToken: boolean;
  /** Host names (without port) besides the loopback names a request may address (DNS rebinding). */
  readonly publicHosts?: readonly string[];
  /** Auth failures one address may make per minute before it gets 429. */
  readonly maxFailuresPerMinute?: number;
}

export interface ApiUser {
  readonly name: string;
  readonly role: UserRole;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: ApiUser | null;
  }
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** `example.org:8080` → `example.org`, `[::1]:80` → `[::1]`. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  const host = header.toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.split(':')[0] ?? '';
}

/** Loopback bind addresses: reads stay open there, the page is only reachable from this machine. */
export function isLoopback(address: string): boolean {
  return address === '127.0.0.1' || address === '::1' || address === 'localhost' || address.startsWith('127.');
}

/**
 * Authentication for the API: the Host header must name this server (a page on another site
 * resolving its own name to 127.0.0.1 cannot reach the API), a bearer token identifies the user
 * (@fastify/bearer-auth, checked against the users collection), writes always need one, reads too
 * when `readsNeedToken`. Repeated failures from one address are limited (@fastify/rate-limit).
 */
export async function registerAuth(app: FastifyInstance, models: Models, options: AuthOptions): Promise<void> {
  const hosts = new Set([...LOOPBACK_HOSTS, ...(options.publicHosts ?? []).map((h) => h.toLowerCase())]);
  app.decorateRequest('user', null);
  await app.register(rateLimit, { global: false });
  const failures = app.createRateLimit({
    max: options.maxFailuresPerMinute ?? 30,
    timeWindow: 60_000,
    keyGenerator: (request) => request.ip,
  });
  await app.register(bearerAuth, {
    addHook: false,
    keys: [],
    auth: async (token: string, request: FastifyRequest) => {
      const user = await userByToken(models, token);
      request.user = user;
      return user !== null;
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!hosts.has(hostName(request.headers.host)))
      return reply
        .code(421)
        .send({ code: 'BAD_HOST', message: `this server does not answer for ${request.headers.host ?? 'no host'}` });
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    const needed = write || options.readsNeedToken || request.url === '/me';
    // A token on an open read still names the user (the page asks /me).
    if (!needed && request.headers.authorization === undefined) return;
    const ok = await new Promise<boolean>((resolve) => {
      app.verifyBearerAuth!(request, reply, (error?: Error) => resolve(error === undefined));
    });
    if (ok) return;
    // The plugin set 401 for the bad token; an open read goes on as if none was sent.
    if (!needed) {
      reply.code(200);
      return;
    }
    const limit = await failures(request);
    if (!limit.isAllowed && limit.isExceeded)
      return reply.code(429).send({ code: 'RATE_LIMITED', message: 'too many failed sign-ins; wait a minute' });
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send({ code: 'UNAUTHENTICATED', message: 'a valid Authorization: Bearer <token> is needed (docq user add)' });
  });
}

/** A route only some roles may use: 403 for the others. */
export function requireRole(role: UserRole): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.user?.role !== role && request.user?.role !== 'admin')
      return reply.code(403).send({ code: 'FORBIDDEN', message: `${role} only` });
  };
}

/** The authenticated user of a write route (the auth hook guarantees one). */
export function userOf(request: FastifyRequest): ApiUser {
  if (!request.user) throw Object.assign(new Error('no user on a write route'), { statusCode: 500 });
  return request.user;
}
