import { authConfigOf } from '../../../distribution/auth-config.js';
import { invalidParameter, isKind, unauthorized } from '../../../errors/index.js';
import type { ImagesService } from '../../../services/images/service.js';
import { responseOf, type Handler } from '../../context.js';
import { readJsonBody, sendJson } from '../../http.js';

/** The registry domain of an AuthConfig's serveraddress (`https://index.docker.io/v1/` → docker.io). */
export function loginDomain(serverAddress: string | undefined): string {
  let s = (serverAddress ?? '').trim();
  if (s === '') return 'docker.io';
  s = s.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  if (s === '' || /[^A-Za-z0-9.:[\]-]/.test(s))
    throw invalidParameter(`invalid registry address ${JSON.stringify(serverAddress)}`);
  return s === 'index.docker.io' || s === 'registry-1.docker.io' ? 'docker.io' : s;
}

/**
 * POST /auth: checks the credentials against the registry (GET /v2/ answering its auth
 * challenge) and answers `{"Status":"Login Succeeded"}`; refused credentials are a 401 with the
 * registry's message. Nothing is stored: the docker CLI keeps credentials and sends them again.
 */
export const authHandler =
  (svc: ImagesService): Handler =>
  async (ctx) => {
    const auth = authConfigOf((await readJsonBody(ctx.req)) ?? {});
    const domain = loginDomain(auth.serveraddress);
    try {
      await svc.login(auth, domain);
    } catch (e) {
      if (isKind(e, 'Unauthorized') || isKind(e, 'Forbidden'))
        throw unauthorized(`login attempt to ${domain} failed: ${e.message}`);
      throw e;
    }
    sendJson(responseOf(ctx), 200, { Status: 'Login Succeeded', IdentityToken: '' });
  };
