import { ArgsType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One audit log entry: who did what, when, to which child or object, from where' })
export class AuditEntry {
  @Field(() => ID)
  id: string;

  @Field(() => GraphQLISODateTime)
  at: Date;

  @Field(() => String, { nullable: true })
  userEmail: string | null;

  @Field(() => String, { nullable: true })
  userRole: string | null;

  @Field(() => String, { description: 'e.g. pupil.read, school_pupils.export, user.update, sign_in.failed' })
  action: string;

  @Field(() => String, { description: 'ok, denied, not_found or failed' })
  outcome: string;

  @Field(() => String, { nullable: true })
  objectType: string | null;

  @Field(() => String, { nullable: true })
  objectId: string | null;

  @Field(() => [String], { description: 'UPNs of the named children whose data was read or changed' })
  childUpns: string[];

  @Field(() => String, { nullable: true, description: "The client's address" })
  ip: string | null;

  @Field(() => String, { description: 'Further facts, as JSON' })
  details: string;
}

@ArgsType()
export class AuditSearchArgs {
  @Field(() => String, { nullable: true, description: 'Entries that name this child (UPN)' })
  childUpn?: string | null;

  @Field(() => String, { nullable: true, description: "Entries by this user's email address" })
  userEmail?: string | null;

  @Field(() => String, { nullable: true, description: 'Entries of this action, e.g. pupil.read' })
  action?: string | null;

  @Field(() => String, { nullable: true, description: 'From this date (YYYY-MM-DD), inclusive' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'Up to this date (YYYY-MM-DD), inclusive' })
  to?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: 100, description: 'At most 500' })
  limit?: number | null;
}
