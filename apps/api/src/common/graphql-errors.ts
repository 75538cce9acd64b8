import { Catch, Logger } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { FeatureException } from './feature.exception.js';
import { AttendanceException, AttendanceExceptionCode } from '../modules/attendance/attendance.exception.js';

/** The GraphQL error codes clients see in `extensions.code`. */
type ClientCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'NO_DATA';

/** Every feature code, mapped to what the client sees; `satisfies` makes it exhaustive. */
const attendanceCodes = {
  [AttendanceExceptionCode.NO_DATA_LOADED]: 'NO_DATA',
  [AttendanceExceptionCode.ACADEMIC_YEAR_INVALID]: 'BAD_USER_INPUT',
  [AttendanceExceptionCode.ACADEMIC_YEAR_NOT_LOADED]: 'NOT_FOUND',
  [AttendanceExceptionCode.LA_AMBIGUOUS]: 'BAD_USER_INPUT',
  [AttendanceExceptionCode.LA_NOT_LOADED]: 'NOT_FOUND',
} as const satisfies Record<AttendanceExceptionCode, ClientCode>;

const logger = new Logger('GraphQL');

/**
 * The one place where errors become GraphQL errors. Feature exceptions keep their message and
 * gain `extensions.code` (category) and `extensions.reason` (the feature code); GraphQL's own
 * parse and validation errors pass through; anything else is logged and replaced by a generic
 * message, so no stack trace, SQL or file path reaches a client.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };

  if (original instanceof AttendanceException) {
    return { ...base, message: original.message, extensions: { code: attendanceCodes[original.code], reason: original.code } };
  }

  const code = formatted.extensions?.code;
  const isRequestError =
    typeof code === 'string' &&
    ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST'].includes(code);
  if (isRequestError) return { ...base, message: formatted.message, extensions: { code } };

  // Resolver faults are already logged with their stack by Nest; this line covers the rest.
  logger.warn(`Internal error replaced in a response: ${original instanceof Error ? original.message : String(original)}`);
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Feature exceptions are expected outcomes (bad input, no data), not faults: hand them to
 * {@link formatGraphQLError} without Nest logging them as errors with a stack trace.
 */
@Catch(FeatureException)
export class FeatureExceptionFilter implements GqlExceptionFilter {
  catch(exception: FeatureException): FeatureException {
    return exception;
  }
}
