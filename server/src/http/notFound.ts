// The answer for an address no route serves: a page for a browser, JSON for everything else, and
// an empty answer for the icon browsers ask for on their own.
import type Koa from 'koa';
import { notFoundPage } from '../oauth/pages.ts';

export function notFound(): Koa.Middleware {
  return (ctx) => {
    if (ctx.method === 'GET' && ctx.path === '/favicon.ico') {
      ctx.status = 204;
      ctx.set('Cache-Control', 'public, max-age=86400');
      return;
    }
    ctx.status = 404;
    if (ctx.method === 'GET' && ctx.accepts('json', 'html') === 'html') {
      ctx.type = 'html';
      ctx.body = notFoundPage(ctx.path);
      return;
    }
    ctx.body = { error: `No route for ${ctx.method} ${ctx.path}` };
  };
}
