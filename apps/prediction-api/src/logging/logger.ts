// Structured JSON logs on stdout, one object per line, as container platforms and CloudWatch expect.
import { pino, type DestinationStream, type Logger } from 'pino';
import { createStdoutBuffer, type StdoutBuffer } from './stdout-buffer';

/** How log lines reach stdout. */
export type LogOutput =
  /** One write per line: what Lambda needs, as it freezes the process as soon as a response is sent. */
  | 'sync'
  /** Lines gathered into ~4 KiB writes, written at least every 200 ms and at exit: the node server. */
  | 'buffered';

/** The fields every line of createLogger's loggers starts with, as pino writes them (see requestLineWriter). */
export const baseFields = { service: 'prediction-api' } as const;

/** More fields for every line of one logger: the node server's processes add their `pid`. */
export type LogFields = Readonly<Record<string, string | number>>;

function bufferedStdout(): StdoutBuffer {
  const buffer = createStdoutBuffer();
  // pino flushes only its own asynchronous destinations at exit; this one is flushed here.
  process.once('exit', buffer.flushSync);
  return buffer;
}

// Where each logger made here writes, and the fields its lines start with: requestLineWriter writes its request
// lines there directly.
const destinations = new WeakMap<Logger, { destination: DestinationStream; base: LogFields }>();

export function createLogger(level: string, output: LogOutput | DestinationStream = 'sync', fields: LogFields = {}): Logger {
  const base = { ...baseFields, ...fields };
  const destination =
    output === 'sync' ? pino.destination({ dest: 1, sync: true }) : output === 'buffered' ? bufferedStdout() : output;
  const logger = pino(
    {
      level,
      base,
      // Epoch milliseconds: an ISO string costs more per line than the rest of the line together.
      timestamp: pino.stdTimeFunctions.epochTime,
      formatters: { level: (label) => ({ level: label }) },
      // Never let a key reach the logs, whatever a caller or a future log line passes in.
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'apiKey'], censor: '[redacted]' },
    },
    destination,
  );
  destinations.set(logger, { destination, base });
  return logger;
}

/** The destination and base fields of a logger made by createLogger; undefined for any other logger. */
export function destinationOf(logger: Logger): { destination: DestinationStream; base: LogFields } | undefined {
  return destinations.get(logger);
}
