import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Role } from './role.enum.js';

@ObjectType({ description: 'The signed-in user' })
export class Me {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  email: string;

  @Field(() => String)
  displayName: string;

  @Field(() => Role)
  role: Role;

  @Field(() => String, { description: 'The role, in words' })
  roleLabel: string;

  @Field(() => String)
  laCode: string;

  @Field(() => [String], { description: 'The LAs whose figures you may see: your own, or a regional user\'s LAs' })
  laCodes: string[];

  @Field(() => Int, { nullable: true, description: "A school user's school" })
  urn: number | null;

  @Field(() => Boolean, { description: 'False for analysts: figures for groups only' })
  pupilLevel: boolean;

  @Field(() => Boolean, { description: 'Manages users and reads the audit log' })
  administers: boolean;

  @Field(() => String, { description: 'Send in the x-csrf-token header with every change made with the session cookie' })
  csrfToken: string;
}

@ObjectType({ description: 'How users may sign in' })
export class SignInOptions {
  @Field(() => Boolean)
  password: boolean;

  @Field(() => String, { nullable: true, description: 'Name of the single sign-on account; null when OIDC is off' })
  oidc: string | null;
}

@ObjectType({ description: 'A Rollbook user, as LA administrators manage them' })
export class User {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  email: string;

  @Field(() => String)
  displayName: string;

  @Field(() => Role)
  role: Role;

  @Field(() => String)
  laCode: string;

  @Field(() => [String], { description: "A regional user's LAs (their own among them); empty for every other role" })
  laCodes: string[];

  @Field(() => Int, { nullable: true })
  urn: number | null;

  @Field(() => String, { nullable: true })
  workerId: string | null;

  @Field(() => String, { nullable: true })
  team: string | null;

  @Field(() => Boolean)
  disabled: boolean;

  @Field(() => String, { description: '"password" or "single sign-on"' })
  signsInWith: string;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastSignInAt: Date | null;
}

@InputType()
export class UserInput {
  @Field(() => String)
  email: string;

  @Field(() => String)
  displayName: string;

  @Field(() => Role)
  role: Role;

  @Field(() => Int, { nullable: true, description: 'Needed for a school user' })
  urn?: number | null;

  @Field(() => String, { nullable: true, description: "Needed for a social worker: their id in the caseloads file" })
  workerId?: string | null;

  @Field(() => String, { nullable: true, description: 'Needed for a team manager: the team as the caseloads file names it' })
  team?: string | null;

  @Field(() => [String], { nullable: true, description: 'Needed for a regional user: the LA numbers they cover (yours is always among them)' })
  laCodes?: string[] | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  disabled?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Sets a new password (12 characters or more); omit to keep it' })
  password?: string | null;
}
