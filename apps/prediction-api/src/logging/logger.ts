// Structured JSON logs on stdout, one object per line, as container platforms and CloudWatch expect.
import { pino, type DestinationStream, type Logger } from 'pino';

/** How log lines reach stdout. */
export type LogOutput =
  /** One write per line: what Lambda needs, as it freezes the process as soon as a response is sent. */
  | 'sync'
  /**
   * Lines gathered into 4 KiB writes, written at least every 200 ms and at exit: on the node server one write per
   * request costs about as much as the prediction itself. The writes themselves are synchronous, as node's own
   * stdout is for files and pipes on Linux: an asynchronous write costs more per line (measured, pino 10: ~6.5 µs
   * against ~4.4 µs) and its flush under load needs care not to stack up.
   */
  | 'buffered';

const flushEveryMs = 200;
const bufferBytes = 4096;

// pino flushes only asynchronous destinations at exit; a buffered synchronous one is flushed here.
const buffered = new Set<{ flushSync(): void }>();
let flushAtExit: (() => void) | undefined;

function bufferedStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: true, minLength: bufferBytes, periodicFlush: flushEveryMs });
  buffered.add(destination);
  if (!flushAtExit) {
    flushAtExit = () => {
      for (const d of buffered) d.flushSync();
    };
    process.once('exit', flushAtExit);
  }
  return destination;
}

export function createLogger(level: string, output: LogOutput | DestinationStream = 'sync'): Logger {
  const destination =
    output === 'sync' ? pino.destination({ dest: 1, sync: true }) : output === 'buffered' ? bufferedStdout() : output;
  return pino(
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
}
