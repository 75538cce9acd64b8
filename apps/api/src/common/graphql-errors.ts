import { type ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { FeatureException } from './feature.exception.js';
import { AttendanceException, AttendanceExceptionCode } from '../modules/attendance/attendance.exception.js';
import { AccessException, AccessExceptionCode } from '../modules/access/access.exception.js';
import { SubmissionsException, SubmissionsExceptionCode } from '../modules/submissions/submissions.exception.js';
import { PupilsException, PupilsExceptionCode } from '../modules/pupils/pupils.exception.js';
import { TsmException, TsmExceptionCode } from '../modules/tsm/tsm.exception.js';
import { SocialCareException, SocialCareExceptionCode } from '../modules/social-care/social-care.exception.js';

/** The GraphQL error codes clients see in `extensions.code`, with the HTTP status of each. */
const CLIENT_CODES = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NO_DATA: 404,
  TOO_MANY_REQUESTS: 429,
} as const;
type ClientCode = keyof typeof CLIENT_CODES;

/** Every feature code, mapped to what the client sees; `satisfies` makes each map exhaustive. */
const attendanceCodes = {
  [AttendanceExceptionCode.NO_DATA_LOADED]: 'NO_DATA',
  [AttendanceExceptionCode.ACADEMIC_YEAR_INVALID]: 'BAD_USER_INPUT',
  [AttendanceExceptionCode.ACADEMIC_YEAR_NOT_LOADED]: 'NOT_FOUND',
  [AttendanceExceptionCode.LA_AMBIGUOUS]: 'BAD_USER_INPUT',
  [AttendanceExceptionCode.LA_NOT_LOADED]: 'NOT_FOUND',
} as const satisfies Record<AttendanceExceptionCode, ClientCode>;

const accessCodes = {
  [AccessExceptionCode.NOT_SIGNED_IN]: 'UNAUTHENTICATED',
  [AccessExceptionCode.ROLE_NOT_PERMITTED]: 'FORBIDDEN',
  [AccessExceptionCode.OUT_OF_SCOPE]: 'FORBIDDEN',
  [AccessExceptionCode.CSRF_TOKEN_MISSING]: 'FORBIDDEN',
  [AccessExceptionCode.INVALID_CREDENTIALS]: 'UNAUTHENTICATED',
  [AccessExceptionCode.SIGN_IN_LOCKED]: 'TOO_MANY_REQUESTS',
  [AccessExceptionCode.OIDC_FAILED]: 'UNAUTHENTICATED',
  [AccessExceptionCode.OIDC_NO_ROLE]: 'FORBIDDEN',
  [AccessExceptionCode.OIDC_NOT_CONFIGURED]: 'NOT_FOUND',
  [AccessExceptionCode.USER_INVALID]: 'BAD_USER_INPUT',
  [AccessExceptionCode.USER_NOT_FOUND]: 'NOT_FOUND',
  [AccessExceptionCode.EMAIL_TAKEN]: 'BAD_USER_INPUT',
} as const satisfies Record<AccessExceptionCode, ClientCode>;

const pupilsCodes = {
  [PupilsExceptionCode.NO_DATA_LOADED]: 'NO_DATA',
  [PupilsExceptionCode.ACADEMIC_YEAR_INVALID]: 'BAD_USER_INPUT',
  [PupilsExceptionCode.ACADEMIC_YEAR_NOT_LOADED]: 'NOT_FOUND',
  [PupilsExceptionCode.UPN_INVALID]: 'BAD_USER_INPUT',
  [PupilsExceptionCode.URN_INVALID]: 'BAD_USER_INPUT',
  [PupilsExceptionCode.SCOPE_INVALID]: 'BAD_USER_INPUT',
} as const satisfies Record<PupilsExceptionCode, ClientCode>;

const submissionsCodes = {
  [SubmissionsExceptionCode.NOT_FOUND]: 'NOT_FOUND',
  [SubmissionsExceptionCode.FILE_MISSING]: 'BAD_USER_INPUT',
  [SubmissionsExceptionCode.FILE_NOT_ZIP]: 'BAD_USER_INPUT',
  [SubmissionsExceptionCode.LOAD_BUSY]: 'TOO_MANY_REQUESTS',
} as const satisfies Record<SubmissionsExceptionCode, ClientCode>;

const tsmCodes = {
  [TsmExceptionCode.URN_INVALID]: 'BAD_USER_INPUT',
  [TsmExceptionCode.TERM_INVALID]: 'BAD_USER_INPUT',
  [TsmExceptionCode.SCHOOL_NOT_COVERED]: 'FORBIDDEN',
  [TsmExceptionCode.ROLE_NOT_PERMITTED]: 'FORBIDDEN',
  [TsmExceptionCode.MEETING_INVALID]: 'BAD_USER_INPUT',
  [TsmExceptionCode.ACTION_NOT_FOUND]: 'NOT_FOUND',
} as const satisfies Record<TsmExceptionCode, ClientCode>;

const socialCareCodes = {
  [SocialCareExceptionCode.EDUCATION_PLAN_INVALID]: 'BAD_USER_INPUT',
  [SocialCareExceptionCode.NATIONAL_FIGURES_INVALID]: 'BAD_USER_INPUT',
} as const satisfies Record<SocialCareExceptionCode, ClientCode>;

/** The client code of a feature exception; an exception of an unmapped feature is a fault. */
function clientCode(error: FeatureException): ClientCode | undefined {
  if (error instanceof AttendanceException) return attendanceCodes[error.code];
  if (error instanceof AccessException) return accessCodes[error.code];
  if (error instanceof PupilsException) return pupilsCodes[error.code];
  if (error instanceof TsmException) return tsmCodes[error.code];
  if (error instanceof SubmissionsException) return submissionsCodes[error.code];
  if (error instanceof SocialCareException) return socialCareCodes[error.code];
  return undefined;
}

const logger = new Logger('GraphQL');

/**
 * Postgres refusing a value the client sent (SQLSTATE 22…: not a UUID, a NUL character, too long,
 * a date or number out of range) is bad input, not a fault. Other data exceptions (e.g. division
 * by zero) are Rollbook's own faults and stay internal.
 */
const POSTGRES_BAD_VALUE = new Set(['22P02', '22021', '22P05', '22001', '22003', '22007', '22008']);
const BAD_VALUE_MESSAGE = 'A value in the request is not in a form Rollbook accepts (a malformed identifier, a control character or an out-of-range value).';

/** Postgres cannot be reached or is shutting down (restart, crash): try again later, not a fault of the request. */
const DATABASE_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);
const DATABASE_DOWN_MESSAGE = 'The database is not available at the moment; try again in a minute.';

function isDatabaseDown(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (DATABASE_DOWN_CODES.has(code) || code.startsWith('08'))) return true;
    if (/Connection terminated|terminating connection due to administrator command|timeout exceeded when trying to connect/i.test(e.message)) return true;
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

function isPostgresBadValue(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ?? (error as { code?: unknown }).code;
  return error.name === 'QueryFailedError' && typeof code === 'string' && POSTGRES_BAD_VALUE.has(code);
}

/** An error's class name only: messages from engines can quote the values (UPNs, names) they choked on. */
function describeFault(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * The one place where errors become GraphQL errors. Feature exceptions keep their message and
 * gain `extensions.code` (category) and `extensions.reason` (the feature code); GraphQL's own
 * parse and validation errors pass through; anything else is logged (its class only: no
 * personal data in logs) and replaced by a generic message, so no stack trace, SQL or file path
 * reaches a client.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };

  if (original instanceof FeatureException) {
    const code = clientCode(original);
    if (code) return { ...base, message: original.message, extensions: { code, reason: original.code } };
  }

  if (isDatabaseDown(original)) return { ...base, message: DATABASE_DOWN_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE' } };
  if (isPostgresBadValue(original)) return { ...base, message: BAD_VALUE_MESSAGE, extensions: { code: 'BAD_USER_INPUT', reason: 'VALUE_INVALID' } };

  const code = formatted.extensions?.code;
  const isRequestError =
    typeof code === 'string' &&
    ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST'].includes(code);
  if (isRequestError) return { ...base, message: formatted.message, extensions: { code } };

  logger.warn(`Internal error replaced in a response: ${describeFault(original)}`);
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Every exception, in one filter. Feature exceptions are expected outcomes (bad input, no data,
 * not signed in), not faults. In GraphQL everything goes on to {@link formatGraphQLError}
 * (so Nest logs no stack trace or engine message, which could quote personal data); over plain
 * HTTP (sign-in, downloads) a feature exception becomes JSON `{ code, reason, message }` with the
 * status of its code, Nest's own HTTP exceptions keep their answer, and anything else is a
 * logged-by-class-only 500.
 */
@Catch()
export class FeatureExceptionFilter implements GqlExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<'http' | 'graphql'>() !== 'http') return exception;
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      response.status(exception.getStatus()).json(typeof body === 'string' ? { message: body } : body);
      return;
    }
    if (isDatabaseDown(exception)) {
      response.status(503).json({ code: 'SERVICE_UNAVAILABLE', message: DATABASE_DOWN_MESSAGE });
      return;
    }
    if (isPostgresBadValue(exception)) {
      response.status(400).json({ code: 'BAD_USER_INPUT', reason: 'VALUE_INVALID', message: BAD_VALUE_MESSAGE });
      return;
    }
    const code = exception instanceof FeatureException ? clientCode(exception) : undefined;
    if (!code) {
      logger.warn(`Internal error replaced in a response: ${describeFault(exception)}`);
      response.status(500).json({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
      return;
    }
    const feature = exception as FeatureException;
    response.status(CLIENT_CODES[code]).json({ code, reason: feature.code, message: feature.message });
  }
}
