// Structured JSON logs on stdout, one object per line, as container platforms and CloudWatch expect.
import { pino, type DestinationStream, type Logger } from 'pino';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'prediction-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Never let a key reach the logs, whatever a caller or a future log line passes in.
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'apiKey'], censor: '[redacted]' },
    },
    destination,
  );
}
