import { FeatureException } from '../../common/feature.exception.js';

export enum AttendanceExceptionCode {
  NO_DATA_LOADED = 'NO_DATA_LOADED',
  ACADEMIC_YEAR_INVALID = 'ACADEMIC_YEAR_INVALID',
  ACADEMIC_YEAR_NOT_LOADED = 'ACADEMIC_YEAR_NOT_LOADED',
  LA_AMBIGUOUS = 'LA_AMBIGUOUS',
  LA_NOT_LOADED = 'LA_NOT_LOADED',
}

export class AttendanceException extends FeatureException<AttendanceExceptionCode> {}
