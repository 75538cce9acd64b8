import { FeatureException } from '../../common/feature.exception.js';

export enum TsmExceptionCode {
  URN_INVALID = 'URN_INVALID',
  TERM_INVALID = 'TERM_INVALID',
  SCHOOL_NOT_COVERED = 'SCHOOL_NOT_COVERED',
  ROLE_NOT_PERMITTED = 'ROLE_NOT_PERMITTED',
  MEETING_INVALID = 'MEETING_INVALID',
  ACTION_NOT_FOUND = 'ACTION_NOT_FOUND',
}

export class TsmException extends FeatureException<TsmExceptionCode> {}
