// The one gate of everything behind ADMIN_TOKEN (the inspection API, /metrics): 404 while no token
// is set, 401 without the right bearer token.
import type { Middleware } from 'koa';
import type { components } from '../../../generated/partner-inspection-api.ts';
import { hasBearerToken } from '../http/bearerToken.ts';

type InspectionDisabled = components['schemas']['InspectionDisabled'];

/** Null disables what it guards: every request is answered 404 saying how to enable it. */
export function adminGuard(adminToken: string | null): Middleware {
  return async (ctx, next) => {
    if (adminToken === null) {
      ctx.status = 404;
      ctx.body = {
        error: 'inspection_api_disabled',
        message: 'The inspection API is disabled: set ADMIN_TOKEN to enable it.',
      } satisfies InspectionDisabled;
      return;
    }
    if (!hasBearerToken(ctx.get('authorization') || undefined, adminToken)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.body = { error: 'unauthorized' };
      return;
    }
    await next();
  };
}
