import { registerEnumType } from '@nestjs/graphql';

/** Which population the figures cover; the values are the mart's `scope` column. */
export enum MetricScope {
  /** DfE statistics scope: age 5–15 at 31 August, no boarders, DfE exclusions applied. */
  DFE = 'dfe',
  /** Every pupil on roll. */
  OPERATIONAL = 'operational',
}

registerEnumType(MetricScope, {
  name: 'MetricScope',
  description: 'Population the figures cover',
  valuesMap: {
    DFE: { description: 'DfE statistics scope (age 5–15 at 31 August, no boarders, DfE exclusions)' },
    OPERATIONAL: { description: 'Every pupil on roll' },
  },
});
