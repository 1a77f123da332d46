import { randomBytes } from 'node:crypto';
import { accountUser, sameSecret } from './basic-auth.js';
import type { EmulatorAccount, EmulatorOAuthClient } from './types.js';

/** A granted token request: the account it acts for, and the body `/oauth_token.do` answers with. */
export interface IssuedGrant {
  readonly user: string;
  readonly body: TokenGrant;
}

/** The body `/oauth_token.do` answers a granted request with. */
export interface TokenGrant {
  access_token: string;
  refresh_token: string;
  scope: string;
  token_type: 'Bearer';
  expires_in: number;
}

interface IssuedToken {
  readonly clientId: string;
  readonly user: string;
  readonly expiresAt: number;
}

// A refresh token lives 100 days on a new instance; access tokens as configured (1800 s by default).
const refreshLifetimeMs = 100 * 24 * 60 * 60 * 1000;

/** The OAuth tokens of an emulated instance: password and refresh-token grants, and bearer checks. */
export class OAuthTokens {
  private readonly access = new Map<string, IssuedToken>();
  private readonly refresh = new Map<string, IssuedToken>();

  constructor(
    private readonly clients: readonly EmulatorOAuthClient[],
    private readonly accounts: readonly EmulatorAccount[],
    private readonly accessLifetimeMs: number,
  ) {}

  /** `grant_type=password`: tokens for a registered client acting as an account; undefined if refused. */
  passwordGrant(
    clientId: string,
    clientSecret: string,
    userName: string,
    password: string,
  ): IssuedGrant | undefined {
    const user = accountUser(userName, password, this.accounts);
    if (!this.knownClient(clientId, clientSecret) || user === undefined) return undefined;
    return this.grant(clientId, user);
  }

  /** `grant_type=refresh_token`: a working access token for the refresh token's client and user. */
  refreshGrant(clientId: string, clientSecret: string, refreshToken: string): IssuedGrant | undefined {
    const issued = this.refresh.get(refreshToken);
    if (!this.knownClient(clientId, clientSecret) || issued === undefined) return undefined;
    if (issued.clientId !== clientId || issued.expiresAt <= Date.now()) return undefined;
    return this.grant(clientId, issued.user);
  }

  /** The user an access token acts for, while it is valid. */
  bearerUser(accessToken: string): string | undefined {
    const issued = this.access.get(accessToken);
    return issued !== undefined && issued.expiresAt > Date.now() ? issued.user : undefined;
  }

  // While a client's token for a user is valid, asking again gives the same token, as the instance does.
  private grant(clientId: string, user: string): IssuedGrant {
    const now = Date.now();
    const owned = (issued: IssuedToken): boolean => issued.clientId === clientId && issued.user === user;
    const valid = ([, issued]: [string, IssuedToken]): boolean => owned(issued) && issued.expiresAt > now;

    let access = [...this.access].find(valid);
    if (access === undefined) {
      access = [token(), { clientId, user, expiresAt: now + this.accessLifetimeMs }];
      this.access.set(...access);
    }
    let refresh = [...this.refresh].find(valid);
    if (refresh === undefined) {
      refresh = [token(), { clientId, user, expiresAt: now + refreshLifetimeMs }];
      this.refresh.set(...refresh);
    }

    const remainingSeconds = Math.floor((access[1].expiresAt - now) / 1000);
    const body: TokenGrant = {
      access_token: access[0],
      refresh_token: refresh[0],
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: Math.max(0, remainingSeconds - 1),
    };
    return { user, body };
  }

  private knownClient(clientId: string, clientSecret: string): boolean {
    const client = this.clients.find((candidate) => candidate.clientId === clientId);
    return client !== undefined && sameSecret(client.clientSecret, clientSecret);
  }
}

function token(): string {
  return randomBytes(64).toString('base64url');
}
