// The one log line per request. Written by hand for createLogger's loggers: pino's generic serializer (every key
// checked against serializers and redaction, every string escaped) cost 15-30 µs per line on the server under
// load (server CPU per request, interleaved wrk rounds), the largest single cost of a small prediction; this line
// has a fixed shape and one writer.
// Any other logger (tests may pass their own) gets the same fields through logger.info / logger.error.
import type { Logger } from 'pino';
import { destinationOf } from './logger';

export interface RequestLine {
  /** A caller's id (checked to be a short plain token) or a UUID. */
  requestId: string;
  method: string;
  /** The route pattern. */
  route: string;
  path: string;
  status: number;
  latencyMs: number;
  model?: string | undefined;
  batchSize?: number | undefined;
  /** gRPC calls only: the status code's name (their `status` is the HTTP status REST answers the same outcome with). */
  grpcCode?: string | undefined;
}

export function requestLineWriter(logger: Logger): (line: RequestLine) => void {
  const made = destinationOf(logger);
  if (!made) {
    return (line) => (line.status >= 500 ? logger.error(line, 'request') : logger.info(line, 'request'));
  }
  const { destination } = made;
  const base = `,${JSON.stringify(made.base).slice(1, -1)}`;
  return (line) => {
    const level = line.status >= 500 ? 'error' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    // Key order and formats as pino writes them with createLogger's options (a test holds the two equal).
    destination.write(
      `{"level":"${level}","time":${Date.now()}${base},"requestId":${JSON.stringify(line.requestId)}` +
        `,"method":${JSON.stringify(line.method)},"route":${JSON.stringify(line.route)},"path":${JSON.stringify(line.path)}` +
        `,"status":${line.status},"latencyMs":${line.latencyMs}` +
        (line.model === undefined ? '' : `,"model":${JSON.stringify(line.model)}`) +
        (line.batchSize === undefined ? '' : `,"batchSize":${line.batchSize}`) +
        (line.grpcCode === undefined ? '' : `,"grpcCode":${JSON.stringify(line.grpcCode)}`) +
        `,"msg":"request"}\n`,
    );
  };
}
