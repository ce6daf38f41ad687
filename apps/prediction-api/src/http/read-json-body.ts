// The request body as JSON, for every route that takes one. Parsed whatever the content-type says:
// curl -d sends form-encoded headers with JSON bodies, as the tutorials' examples do.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { InvalidJsonError } from '../errors';

export async function readJsonBody(c: Context<AppEnv>): Promise<unknown> {
  return parseJsonText(await c.req.text());
}

/**
 * JSON text as a value, or a 400 saying why not. `part` names the part of the body the text is, when it is not the
 * whole body (the JSON header of a V2 binary request), so the message says where to look.
 */
export function parseJsonText(text: string, part?: string): unknown {
  const where = (detail: string) => (part ? `${part}: ${detail}` : detail);
  if (text.trim() === '') throw new InvalidJsonError(part ? `${part} is empty` : 'the body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // Python's json.dumps writes NaN for a missing float (pandas' NaN) unless told allow_nan=False: say what to send.
    const bare = bareNonFiniteNumber(text);
    if (bare) {
      throw new InvalidJsonError(
        where(`${bare.token} at position ${bare.position} is not a JSON value (NaN, Infinity and -Infinity are not); send null for a missing value`),
      );
    }
    throw new InvalidJsonError(where((err as Error).message));
  }
}

/** The first NaN, Infinity or -Infinity outside a string; only looked for once the body has failed to parse. */
function bareNonFiniteNumber(text: string): { token: string; position: number } | undefined {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === 'N' && text.startsWith('NaN', i)) {
      return { token: 'NaN', position: i };
    } else if (char === 'I' && text.startsWith('Infinity', i)) {
      return text[i - 1] === '-' ? { token: '-Infinity', position: i - 1 } : { token: 'Infinity', position: i };
    }
  }
  return undefined;
}
