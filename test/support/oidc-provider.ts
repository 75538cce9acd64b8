import type { Server } from 'node:http';
import Provider from 'oidc-provider';

/** A person at the test identity provider: the login name typed in its form picks them. */
export interface IdpAccount {
  email: string;
  name: string;
  /** Values of the `roles` claim (Entra ID app roles), mapped by OIDC_ROLE_MAP. */
  roles: string[];
  rollbook_urn?: string;
}

export interface TestIdp {
  issuer: string;
  stop(): Promise<void>;
}

/**
 * A real OpenID Connect provider (`oidc-provider`) on loopback, with its development login and
 * consent pages: any password is accepted, and the login name chooses the account.
 */
export async function startTestIdp(options: {
  port: number;
  redirectUri: string;
  clientId: string;
  clientSecret: string;
  accounts: Record<string, IdpAccount>;
}): Promise<TestIdp> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'rollbook'],
    claims: { openid: ['sub'], email: ['email'], profile: ['name'], rollbook: ['roles', 'rollbook_urn'] },
    async findAccount(_ctx: unknown, sub: string) {
      const account = options.accounts[sub];
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    cookies: { keys: ['rollbook-test-idp-cookie-key'] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: true } },
  } as never);
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(options.port, '127.0.0.1', () => resolve(s));
  });
  return {
    issuer,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
