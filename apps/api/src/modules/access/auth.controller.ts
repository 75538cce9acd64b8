import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { API_CONFIG } from '../../config/config.module.js';
import type { ApiConfig } from '../../config/config.js';
import { Public, type RequestWithAccess } from './access.decorators.js';
import { AccessException, AccessExceptionCode } from './access.exception.js';
import { clientIp, sessionToken } from './access.guard.js';
import { AuthService, type SignedIn } from './auth.service.js';
import { OidcService } from './oidc.service.js';
import { SESSION_COOKIE } from './sessions.service.js';

/** What a sign-in answers: the portal keeps the token in its own HttpOnly cookie. */
export interface SignInResponse {
  token: string;
  csrfToken: string;
  expiresAt: string;
  user: { email: string; displayName: string; role: string };
  returnTo?: string;
}

function text(value: unknown, max = 2048): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/**
 * Sign-in and sign-out over HTTP (JSON), for the portal's server and for scripts. The session
 * token is returned in the body and also set as an HttpOnly, SameSite=Lax cookie (Secure outside
 * development) for clients that talk to the API directly.
 */
@Controller('auth')
@Public()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly oidc: OidcService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post('sign-in')
  @HttpCode(200)
  async signIn(@Body() body: Record<string, unknown>, @Req() req: RequestWithAccess, @Res({ passthrough: true }) res: Response): Promise<SignInResponse> {
    const signedIn = await this.auth.signInWithPassword(text(body?.email, 320), text(body?.password, 1024), clientIp(req));
    return this.answer(signedIn, res);
  }

  @Post('sign-out')
  @HttpCode(204)
  async signOut(@Req() req: RequestWithAccess, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = sessionToken(req);
    if (token) await this.auth.signOut(token.token, clientIp(req));
    res.clearCookie(SESSION_COOKIE, this.cookieOptions());
  }

  /** Starts an OIDC sign-in: the portal redirects the browser to `authorizationUrl`. */
  @Post('oidc/start')
  @HttpCode(200)
  async oidcStart(@Body() body: Record<string, unknown>): Promise<{ authorizationUrl: string }> {
    const redirectUri = text(body?.redirectUri);
    if (!/^https?:\/\//.test(redirectUri)) {
      throw new AccessException(AccessExceptionCode.OIDC_FAILED, 'The sign-in request was incomplete.');
    }
    return this.oidc.start({ redirectUri, returnTo: text(body?.returnTo, 500), browserKey: text(body?.browserKey, 200) });
  }

  /** Finishes an OIDC sign-in from the URL the provider sent the browser back to. */
  @Post('oidc/callback')
  @HttpCode(200)
  async oidcCallback(@Body() body: Record<string, unknown>, @Req() req: RequestWithAccess, @Res({ passthrough: true }) res: Response): Promise<SignInResponse> {
    const { identity, returnTo } = await this.oidc.finish({ callbackUrl: text(body?.callbackUrl, 4096), browserKey: text(body?.browserKey, 200) });
    const signedIn = await this.auth.signInWithOidc(identity, clientIp(req));
    return { ...this.answer(signedIn, res), returnTo };
  }

  private answer({ session, user }: SignedIn, res: Response): SignInResponse {
    res.cookie(SESSION_COOKIE, session.token, { ...this.cookieOptions(), expires: session.expiresAt });
    res.setHeader('cache-control', 'no-store');
    return {
      token: session.token,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
      user: { email: user.email, displayName: user.displayName, role: user.role },
    };
  }

  private cookieOptions() {
    return { httpOnly: true, sameSite: 'lax' as const, secure: this.config.auth.secureCookies, path: '/' };
  }
}
