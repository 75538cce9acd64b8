import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ACCESS, CurrentAccess, Public, type RequestWithAccess } from './access.decorators.js';
import { Me, SignInOptions, User, UserInput } from './models/user.model.js';
import { OidcService } from './oidc.service.js';
import type { RequestAccess } from './request-access.js';
import { UsersService } from './users.service.js';
import { ROLE_RULES } from './roles.js';

@Resolver()
export class UsersResolver {
  constructor(
    private readonly usersService: UsersService,
    private readonly oidc: OidcService,
  ) {}

  @Public()
  @Query(() => Me, { nullable: true, description: 'The signed-in user; null when signed out' })
  me(@Context('req') req: RequestWithAccess): Me | null {
    const access = req[ACCESS];
    if (!access) return null;
    const user = access.scope.user;
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      roleLabel: ROLE_RULES[user.role].label,
      laCode: user.laCode,
      laCodes: [...access.scope.laCodes],
      urn: user.urn,
      pupilLevel: access.scope.pupilLevel,
      administers: access.scope.rule.administers,
      csrfToken: access.csrfToken,
    };
  }

  @Public()
  @Query(() => SignInOptions, { description: 'How users may sign in (for the sign-in page)' })
  signInOptions(): SignInOptions {
    return { password: true, oidc: this.oidc.enabled ? this.oidc.displayName : null };
  }

  @Query(() => [User], { description: 'Users of your local authority (LA administrators only)' })
  users(@CurrentAccess() access: RequestAccess): Promise<User[]> {
    return this.usersService.list(access.scope);
  }

  @Mutation(() => User, { description: 'Adds a user to your local authority (LA administrators only)' })
  createUser(@CurrentAccess() access: RequestAccess, @Args('input') input: UserInput): Promise<User> {
    return this.usersService.create(access, input);
  }

  @Mutation(() => User, { description: "Changes a user's details, role or password (LA administrators only)" })
  updateUser(
    @CurrentAccess() access: RequestAccess,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UserInput,
  ): Promise<User> {
    return this.usersService.update(access, id, input);
  }
}
