import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A problem found in a submitted file: where it is and what to fix' })
export class SubmissionProblem {
  @Field() severity: string;
  @Field({ description: 'A stable code, e.g. MARK_CODE_INVALID' }) code: string;
  @Field() file: string;
  @Field(() => Int, { nullable: true, description: 'The line in the file (the header is line 1)' }) line: number | null;
  @Field(() => String, { nullable: true }) column: string | null;
  @Field() message: string;
}

@ObjectType({ description: 'One input loaded into Rollbook, with its outcome' })
export class Submission {
  @Field(() => ID) id: string;
  @Field(() => GraphQLISODateTime) submittedAt: Date;
  @Field({ description: "Who sent it: a user's email, or cli:<user> for a load from the command line" }) submittedBy: string;
  @Field({ description: 'upload or cli' }) via: string;
  @Field({ description: 'What it was taken for: return, school-list, … (purge: the registers of an academic year removed by `rollbook purge`)' }) kind: string;
  @Field({ description: 'The file or folder name as submitted' }) fileName: string;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the file(s)' }) fileHash: string | null;
  @Field(() => Int, { nullable: true }) urn: number | null;
  @Field(() => String, { nullable: true }) academicYear: string | null;
  @Field(() => String, { nullable: true }) term: string | null;
  @Field({ description: 'loaded, or rejected (nothing of it was loaded)' }) status: string;
  @Field(() => Int) pupils: number;
  @Field(() => Int) marks: number;
  @Field(() => Int) errors: number;
  @Field(() => Int) warnings: number;
  @Field(() => [SubmissionProblem], { description: 'The report: every problem with its place' }) problems: SubmissionProblem[];
  @Field({ description: 'The report as plain text, one problem a line' }) reportText: string;
}
