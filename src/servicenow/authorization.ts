import type { Logger } from '../log.js';
import type { HttpTransport } from './http-transport.js';
import { OAuthTokens } from './oauth-tokens.js';
import type { ServiceNowSettings } from './types.js';

/** Where the Authorization header of a Table API request comes from. */
export interface Authorization {
  /** The header value for the next request. */
  header(): Promise<string>;
  /**
   * Called when the instance answered 401 to a request sent with `header`. True when a new header
   * may be accepted (an OAuth token that was revoked or expired early), false when nothing changes.
   */
  refused(header: string): boolean;
  /** Credential values that must never appear in a message. */
  secrets(): string[];
}

/** The Authorization source the settings ask for: basic credentials or OAuth tokens. */
export function createAuthorization(
  settings: ServiceNowSettings,
  transport: HttpTransport,
  logger?: Logger,
): Authorization {
  const auth = settings.auth;
  if (auth.type === 'basic') {
    const header = `Basic ${Buffer.from(`${auth.username}:${auth.password.reveal()}`).toString('base64')}`;
    return {
      header: () => Promise.resolve(header),
      refused: () => false,
      secrets: () => [auth.password.reveal(), header.slice('Basic '.length)],
    };
  }

  const tokens = new OAuthTokens(auth, transport, logger);
  return {
    header: async () => `Bearer ${await tokens.accessToken()}`,
    refused: (header) => {
      tokens.discard(header.slice('Bearer '.length));
      return true;
    },
    secrets: () => tokens.secrets(),
  };
}
