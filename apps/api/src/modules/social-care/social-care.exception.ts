import { FeatureException } from '../../common/feature.exception.js';

export enum SocialCareExceptionCode {
  /** A PEP or support-plan status the virtual school sent is not one Rollbook keeps. */
  EDUCATION_PLAN_INVALID = 'EDUCATION_PLAN_INVALID',
  /** England's looked-after figures as entered: a year, a percentage or the source is wrong. */
  NATIONAL_FIGURES_INVALID = 'NATIONAL_FIGURES_INVALID',
}

export class SocialCareException extends FeatureException<SocialCareExceptionCode> {}
