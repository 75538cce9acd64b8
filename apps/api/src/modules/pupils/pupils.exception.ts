import { FeatureException } from '../../common/feature.exception.js';

export enum PupilsExceptionCode {
  NO_DATA_LOADED = 'NO_DATA_LOADED',
  ACADEMIC_YEAR_INVALID = 'ACADEMIC_YEAR_INVALID',
  ACADEMIC_YEAR_NOT_LOADED = 'ACADEMIC_YEAR_NOT_LOADED',
  UPN_INVALID = 'UPN_INVALID',
  URN_INVALID = 'URN_INVALID',
  SCOPE_INVALID = 'SCOPE_INVALID',
}

export class PupilsException extends FeatureException<PupilsExceptionCode> {}
