import { Field, Float, Int, IntersectionType, ObjectType } from '@nestjs/graphql';
import { MetricScope } from '../../attendance/models/metric-scope.enum.js';

/** A named child: the UPN and, where the reader may see them, the names. */
@ObjectType({ isAbstract: true })
class NamedChild {
  @Field(() => String)
  upn: string;

  @Field(() => String, { nullable: true })
  forename: string | null;

  @Field(() => String, { nullable: true })
  surname: string | null;
}

/** Sessions counted for one child over some stretch of time, and the days they make. */
@ObjectType({ isAbstract: true })
class ChildSessionCounts {
  @Field(() => Int)
  possibleSessions: number;

  @Field(() => Int)
  authorisedAbsence: number;

  @Field(() => Int)
  unauthorisedAbsence: number;

  @Field(() => Int)
  overallAbsence: number;

  @Field(() => Float, { description: 'School days missed (two sessions a day)' })
  daysMissed: number;
}

@ObjectType({ description: "A pupil's attendance at one school over a year (the terms loaded)" })
export class PupilAttendance extends IntersectionType(NamedChild, ChildSessionCounts) {
  @Field(() => String, { nullable: true })
  ncYear: string | null;

  @Field(() => Float, { nullable: true, description: 'Percentage; null with no possible sessions' })
  overallAbsenceRate: number | null;

  @Field(() => String, { nullable: true, description: "5 % band of overall absence ('0-5' … '50+')" })
  absenceBand: string | null;

  @Field(() => Boolean, { description: 'Overall absence 10 % or more' })
  persistentAbsentee: boolean;

  @Field(() => Boolean, { description: 'Overall absence 50 % or more' })
  severeAbsentee: boolean;
}

@ObjectType({ description: 'The pupils of a school you may see, with their attendance' })
export class SchoolPupils {
  @Field(() => Int)
  urn: number;

  @Field(() => String, { nullable: true })
  schoolName: string | null;

  @Field(() => String)
  academicYear: string;

  @Field(() => MetricScope)
  scope: MetricScope;

  @Field(() => [PupilAttendance])
  pupils: PupilAttendance[];
}

@ObjectType({ description: "One term of a child's attendance at one school" })
export class PupilTerm extends ChildSessionCounts {
  @Field(() => String)
  academicYear: string;

  @Field(() => String)
  term: string;

  @Field(() => Int)
  urn: number;

  @Field(() => String, { nullable: true })
  schoolName: string | null;

  @Field(() => String, { nullable: true })
  ncYear: string | null;

  @Field(() => Float, { nullable: true })
  attendanceRate: number | null;
}

@ObjectType({ description: 'A named child, with their attendance term by term' })
export class Pupil extends NamedChild {

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  dateOfBirth: string | null;

  @Field(() => [PupilTerm])
  terms: PupilTerm[];
}
