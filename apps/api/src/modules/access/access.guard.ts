import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { isIP } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { ACCESS, ACCESS_PENDING, PUBLIC_KEY, type RequestWithAccess, requestOf } from './access.decorators.js';
import { AccessException, AccessExceptionCode, NOT_SIGNED_IN_MESSAGE } from './access.exception.js';
import type { RequestAccess } from './request-access.js';
import { ScopeFactory } from './scope.factory.js';
import { SESSION_COOKIE, SessionsService } from './sessions.service.js';

export const CSRF_HEADER = 'x-csrf-token';

/** The session token: the `rollbook_session` cookie, or `Authorization: Bearer …` (scripts). */
export function sessionToken(req: RequestWithAccess): { token: string; via: 'cookie' | 'bearer' } | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return { token: auth.slice(7).trim(), via: 'bearer' };
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The client's address as Express sees it (`trust proxy` is loopback: the portal's forward). */
export function clientIp(req: RequestWithAccess): string | null {
  const ip = req.ip ?? null;
  return ip !== null && isIP(ip) !== 0 ? ip : null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The one gate, global for HTTP and GraphQL: finds the session, builds the request's
 * {@link AccessScope} once, denies anything not marked {@link Public} without one, and asks a
 * cookie session for its CSRF token on every change (GraphQL mutations, HTTP other than GET).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly scopes: ScopeFactory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = requestOf(context);
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]) ?? false;
    req[ACCESS_PENDING] ??= this.authenticate(req);
    const access = await req[ACCESS_PENDING];
    req[ACCESS] = access;
    if (isPublic) return true;
    if (!access) throw new AccessException(AccessExceptionCode.NOT_SIGNED_IN, NOT_SIGNED_IN_MESSAGE);

    const token = sessionToken(req);
    if (token?.via === 'cookie' && this.isChange(context, req)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, access.csrfToken)) {
        throw new AccessException(
          AccessExceptionCode.CSRF_TOKEN_MISSING,
          'This change was refused because it did not come from a Rollbook page. Reload the page and try again.',
        );
      }
    }
    return true;
  }

  private isChange(context: ExecutionContext, req: RequestWithAccess): boolean {
    if (context.getType<'http' | 'graphql'>() === 'graphql') {
      return GqlExecutionContext.create(context).getInfo<{ operation: { operation: string } }>().operation.operation === 'mutation';
    }
    return !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
  }

  private async authenticate(req: RequestWithAccess): Promise<RequestAccess | null> {
    const token = sessionToken(req);
    if (!token) return null;
    const session = await this.sessions.find(token.token);
    if (!session) return null;
    const scope = await this.scopes.build(session.user);
    return { scope, sessionId: session.id, csrfToken: session.csrfToken, ip: clientIp(req) };
  }
}
