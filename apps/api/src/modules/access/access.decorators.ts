import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { AccessException, AccessExceptionCode, NOT_SIGNED_IN_MESSAGE } from './access.exception.js';
import type { RequestAccess } from './request-access.js';

export const PUBLIC_KEY = 'rollbook:public';

/**
 * Marks a route or resolver that answers without a session (health, sign-in). Everything else
 * needs a signed-in user: the access guard is global and denies by default.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** Where the guard keeps the request's access (symbols: not reachable from request data). */
export const ACCESS_PENDING = Symbol('rollbook.access.pending');
export const ACCESS = Symbol('rollbook.access');

export type RequestWithAccess = Request & {
  /** Looked up once per request, shared by every resolver of a GraphQL document. */
  [ACCESS_PENDING]?: Promise<RequestAccess | null>;
  /** Set by the guard once the lookup has finished. */
  [ACCESS]?: RequestAccess | null;
};

/** The HTTP request behind an HTTP or GraphQL execution context. */
export function requestOf(context: ExecutionContext): RequestWithAccess {
  if (context.getType<'http' | 'graphql'>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: RequestWithAccess }>().req;
  }
  return context.switchToHttp().getRequest<RequestWithAccess>();
}

/** The signed-in request's {@link RequestAccess}: its scope, session and client address. */
export const CurrentAccess = createParamDecorator((_data: unknown, context: ExecutionContext): RequestAccess => {
  const access = requestOf(context)[ACCESS];
  if (!access) throw new AccessException(AccessExceptionCode.NOT_SIGNED_IN, NOT_SIGNED_IN_MESSAGE);
  return access;
});
