// Structured JSON logs on stdout, one object per line, as container platforms and CloudWatch expect.
import { pino, type DestinationStream, type Logger } from 'pino';

/** How log lines reach stdout. */
export type LogOutput =
  /** One write per line: what Lambda needs, as it freezes the process as soon as a response is sent. */
  | 'sync'
  /**
   * Lines gathered into 4 KiB writes, flushed at least every 200 ms and at exit: on the node server one
   * write per request costs about as much as the prediction itself.
   */
  | 'buffered';

const flushEveryMs = 200;

export function createLogger(level: string, output: LogOutput | DestinationStream = 'sync'): Logger {
  const destination =
    output === 'sync' || output === 'buffered' ? pino.destination({ dest: 1, sync: output === 'sync', minLength: output === 'buffered' ? 4096 : 0 }) : output;
  const logger = pino(
    {
      level,
      base: { service: 'prediction-api' },
      // Epoch milliseconds: an ISO string costs more per line than the rest of the line together.
      timestamp: pino.stdTimeFunctions.epochTime,
      formatters: { level: (label) => ({ level: label }) },
      // Never let a key reach the logs, whatever a caller or a future log line passes in.
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'apiKey'], censor: '[redacted]' },
    },
    destination,
  );
  // pino flushes a buffered destination at exit itself; this bounds how long a quiet server holds a line. One flush
  // at a time: under load a flush waits for the stream to drain, and stacking them leaks drain listeners.
  if (output === 'buffered') {
    let flushing = false;
    setInterval(() => {
      if (flushing) return;
      flushing = true;
      logger.flush(() => (flushing = false));
    }, flushEveryMs).unref();
  }
  return logger;
}
