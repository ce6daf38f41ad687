// A start that fails says why twice: one JSON line for log collectors, and the same message as plain lines for the
// person at the terminal (a report of failed golden rows or several bad models is unreadable as one escaped string).

/** The readable text of a failed start: the error's message as it is, each line of it a line. */
export function startupFailureText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `onnx-serve cannot start:\n${message.replace(/^/gm, '  ')}\n`;
}

/** The JSON line the node entrypoint writes when its logger may not have been made yet (bad config). */
export function startupFailureLine(error: unknown): string {
  return JSON.stringify({ level: 'fatal', msg: 'startup failed', err: String((error as Error)?.stack ?? error) });
}
