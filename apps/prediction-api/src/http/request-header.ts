// A request header, read without making @hono/node-server build a web Headers object: that costs more per
// request than validating the features. On the node server the raw IncomingMessage headers are right there;
// anywhere else (the Lambda adapter, app.request in tests) Hono's own accessor is used.
import type { Context } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function requestHeader(c: Context, name: Lowercase<string>): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Sets a response header before the handler answers. On the node server it goes straight onto the outgoing
 * response (node merges it into the status line's headers), so Hono need not build a web Headers object for
 * every response; elsewhere Hono's own c.header is used.
 */
export function presetResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.setHeader === 'function') outgoing.setHeader(name, value);
  else c.header(name, value);
}
