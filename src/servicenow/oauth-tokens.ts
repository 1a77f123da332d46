import type { Logger } from '../log.js';
import type { Secret } from '../config/secret.js';
import { badResponse, errorFromResponse, type CallContext } from './classify.js';
import { ServiceNowError } from './errors.js';
import type { HttpTransport } from './http-transport.js';

/** The OAuth application and the user the tokens are issued for. */
export interface OAuthCredentials {
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly username: string;
  readonly password: Secret;
}

interface Token {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly expiresAt: number;
  readonly renewAt: number;
  /** The instance answered 401 to it: renew before the next request. */
  readonly refused?: boolean;
}

const tokenContext = (grant: string): CallContext => ({
  operation: `oauth ${grant} grant`,
  method: 'POST',
  table: 'oauth_token.do',
});

/** Renew when this share of a token's life is left, but never more than a minute early. */
const renewShare = 0.2;
const maxRenewEarlyMs = 60_000;

/**
 * Access tokens from ServiceNow's `/oauth_token.do` (form-encoded, as the instance requires). The
 * first token comes from a password grant; shortly before it expires it is renewed with the refresh
 * token, and when that is refused, with a new password grant. Concurrent callers share one token
 * request. Tokens are held here only: never logged, never put into an error.
 *
 * ServiceNow answers a renewal with the current access token for as long as that one is valid, so
 * an early renewal can bring back the same token with less time left. The client then keeps it
 * until it has run out instead of asking again and again; a request that meets the expiry gets a
 * 401, which makes the Table API layer renew and send it once more.
 */
export class OAuthTokens {
  #token: Token | undefined;
  #pending: Promise<Token> | undefined;

  constructor(
    private readonly credentials: OAuthCredentials,
    private readonly transport: HttpTransport,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid access token, renewed first if it is close to expiry or was refused. */
  async accessToken(): Promise<string> {
    const token = this.#token;
    if (token !== undefined && token.refused !== true && this.now() < token.renewAt) return token.accessToken;

    this.#pending ??= this.#renew(token).finally(() => {
      this.#pending = undefined;
    });
    return (await this.#pending).accessToken;
  }

  /** Marks `accessToken` as refused by the instance (revoked or expired), so it is renewed first. */
  discard(accessToken: string): void {
    if (this.#token?.accessToken === accessToken) this.#token = { ...this.#token, refused: true };
  }

  /** Values that must never appear in a message, for defence in depth. */
  secrets(): string[] {
    const token = this.#token;
    const values = [this.credentials.clientSecret.reveal(), this.credentials.password.reveal()];
    if (token !== undefined) values.push(token.accessToken, token.refreshToken ?? '');
    return values.filter((value) => value.length >= 4);
  }

  async #renew(previous: Token | undefined): Promise<Token> {
    let next = previous?.refreshToken === undefined ? undefined : await this.#refresh(previous.refreshToken);
    if (next === undefined || (previous?.refused === true && next.accessToken === previous.accessToken)) {
      next = await this.#grant('password', {
        username: this.credentials.username,
        password: this.credentials.password.reveal(),
      });
    }
    if (next.accessToken === previous?.accessToken) {
      // The instance still considers it valid: use it until it has run out (expires_in is rounded down).
      next = { ...next, renewAt: next.expiresAt + 1000 };
    }
    return (this.#token = next);
  }

  /** A token from the refresh grant, or undefined when the instance refuses the refresh token. */
  async #refresh(refreshToken: string): Promise<Token | undefined> {
    try {
      return await this.#grant('refresh_token', { refresh_token: refreshToken });
    } catch (error) {
      // A transport failure would fail the password grant too, so it goes up as it is.
      if (!(error instanceof ServiceNowError) || error.retryable) throw error;
      this.logger?.warn(
        { type: error.type, status: error.status },
        'oauth refresh refused, signing in again',
      );
      return undefined;
    }
  }

  async #grant(grantType: 'password' | 'refresh_token', fields: Record<string, string>): Promise<Token> {
    const context = tokenContext(grantType);
    const response = await this.transport.sendOutsidePool(context, {
      method: 'POST',
      path: '/oauth_token.do',
      form: {
        grant_type: grantType,
        client_id: this.credentials.clientId,
        client_secret: this.credentials.clientSecret.reveal(),
        ...fields,
      },
    });
    if (response.status < 200 || response.status >= 300) {
      const error = errorFromResponse(context, response.status, response.headers, response.body);
      // The token endpoint answers bad credentials with 400 or 401 depending on the release.
      if (error.type !== 'ServiceNowBadRequest') throw error;
      throw new ServiceNowError('ServiceNowUnauthorized', error.message, { retryable: false, status: 400 });
    }

    const token = this.#parse(context, response.body, grantType);
    this.logger?.info(
      { grant: grantType, expiresInS: Math.round((token.expiresAt - this.now()) / 1000) },
      'oauth token obtained',
    );
    return token;
  }

  #parse(context: CallContext, body: string, grantType: string): Token {
    let parsed: { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw badResponse(context, 'a token answer that is not JSON', true);
    }

    const expiresIn = Number(parsed.expires_in);
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '' || !(expiresIn >= 0)) {
      throw badResponse(context, 'a token answer without access_token or expires_in', false);
    }

    const lifetimeMs = expiresIn * 1000;
    const issuedAt = this.now();
    const refreshToken =
      typeof parsed.refresh_token === 'string' && parsed.refresh_token !== ''
        ? parsed.refresh_token
        : grantType === 'refresh_token'
          ? this.#token?.refreshToken
          : undefined;
    return {
      accessToken: parsed.access_token,
      refreshToken,
      expiresAt: issuedAt + lifetimeMs,
      renewAt: issuedAt + lifetimeMs - Math.min(maxRenewEarlyMs, lifetimeMs * renewShare),
    };
  }
}
