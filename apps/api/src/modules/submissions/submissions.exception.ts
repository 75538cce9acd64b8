import { FeatureException } from '../../common/feature.exception.js';

export enum SubmissionsExceptionCode {
  NOT_FOUND = 'NOT_FOUND',
  FILE_MISSING = 'FILE_MISSING',
  FILE_NOT_ZIP = 'FILE_NOT_ZIP',
  LOAD_BUSY = 'LOAD_BUSY',
}

export class SubmissionsException extends FeatureException<SubmissionsExceptionCode> {}
