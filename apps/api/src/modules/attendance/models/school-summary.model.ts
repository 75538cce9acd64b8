import { Field, Int, ObjectType } from '@nestjs/graphql';
import { AttendanceFigures } from './attendance-figures.model.js';

@ObjectType({ description: "One school's figures for an academic year (sum then divide)" })
export class SchoolSummary extends AttendanceFigures {
  @Field(() => Int)
  urn: number;

  @Field(() => String, { nullable: true, description: 'Null when the school is not in the loaded school list' })
  name: string | null;

  @Field(() => String, { nullable: true })
  phase: string | null;
}
