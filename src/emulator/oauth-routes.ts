import type { FastifyInstance } from 'fastify';
import type { EmulatorState } from './emulator-state.js';
import type { IssuedGrant } from './oauth-tokens.js';
import { requestContext } from './request-context.js';

const formType = 'application/x-www-form-urlencoded';

// The instance answers every refused token request alike, whatever was wrong.
const accessDenied = { error_description: 'access_denied', error: 'server_error' };

/**
 * Registers `POST /oauth_token.do`. Like the instance, it reads form-encoded parameters only: a
 * JSON body carries no parameters it can see, so it is refused like wrong credentials.
 */
export async function registerOAuthRoutes(app: FastifyInstance, state: EmulatorState): Promise<void> {
  await app.register((scope, _options, done) => {
    scope.addContentTypeParser(formType, { parseAs: 'string' }, (_request, body, parsed) => {
      parsed(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    scope.post('/oauth_token.do', (request, reply) => {
      const isForm = (request.headers['content-type'] ?? '').toLowerCase().startsWith(formType);
      const form = isForm ? (request.body as Record<string, string>) : {};
      const grant = tokenGrant(state, form);
      if (grant === undefined) return reply.code(401).send(accessDenied);

      requestContext(request).user = grant.user;
      return reply.header('Cache-Control', 'no-store').send(grant.body);
    });
    done();
  });
}

function tokenGrant(state: EmulatorState, form: Record<string, string>): IssuedGrant | undefined {
  const clientId = form.client_id ?? '';
  const clientSecret = form.client_secret ?? '';

  switch (form.grant_type) {
    case 'password':
      return state.tokens.passwordGrant(clientId, clientSecret, form.username ?? '', form.password ?? '');
    case 'refresh_token':
      return state.tokens.refreshGrant(clientId, clientSecret, form.refresh_token ?? '');
    default:
      return undefined;
  }
}
