import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { DemoUsersService } from './demo-users.service.js';
import { OidcService } from './oidc.service.js';
import { ScopeFactory } from './scope.factory.js';
import { ScopedWarehouse } from './scoped-warehouse.js';
import { SessionsService } from './sessions.service.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { UsersRepository } from './users.repository.js';
import { UsersResolver } from './users.resolver.js';
import { UsersService } from './users.service.js';

/**
 * Sign-in, sessions, users and roles, and the request scope. {@link AccessGuard} is global: every
 * route and resolver needs a signed-in user unless marked `@Public()`.
 */
@Global()
@Module({
  controllers: [AuthController],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    AuthService,
    DemoUsersService,
    OidcService,
    ScopeFactory,
    ScopedWarehouse,
    SessionsService,
    SignInThrottle,
    UsersRepository,
    UsersResolver,
    UsersService,
  ],
  exports: [ScopedWarehouse],
})
export class AccessModule {}
