// The request body as JSON, for every route that takes one. Parsed whatever the content-type says:
// curl -d sends form-encoded headers with JSON bodies, as the tutorials' examples do.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { InvalidJsonError } from '../errors';

export async function readJsonBody(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new InvalidJsonError('the body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InvalidJsonError((err as Error).message);
  }
}
