// The hand-written request log line must be what pino itself would write with createLogger's options: same keys,
// same order, same values, escaping included. pino is the oracle, writing the same fields beside it.
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { requestLineWriter, type RequestLine } from './request-line';
import { pino } from 'pino';

function capture(level = 'info', fields?: Record<string, string | number>) {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) }, fields);
  return { logger, lines };
}

const withoutTime = (line: string) => {
  const { time, ...rest } = JSON.parse(line) as Record<string, unknown>;
  expect(time).toEqual(expect.any(Number));
  return rest;
};

const cases: RequestLine[] = [
  { requestId: 'trace-42', method: 'POST', route: '/v1/models/:name/predict', path: '/v1/models/iris/predict', status: 200, latencyMs: 1.234, model: 'iris', batchSize: 3 },
  { requestId: 'b1d7c9e2-0c1e-4f7a-9f55-3d3c0f6f8a10', method: 'GET', route: '/*', path: '/a "quoted"\\path\n\u0001é😀', status: 404, latencyMs: 0.05 },
  { requestId: 'x', method: 'POST', route: '/v1/models/:name/predict', path: '/v1/models/%22/predict', status: 422, latencyMs: 12, model: 'a"b\\c\u2028' },
  { requestId: 'y', method: 'POST', route: '/v1/models/:name/predict', path: '/p', status: 503, latencyMs: 150.001, model: 'diabetes', batchSize: 10_000 },
  {
    requestId: 'g',
    method: 'gRPC',
    route: '/inference.GRPCInferenceService/ModelInfer',
    path: '/inference.GRPCInferenceService/ModelInfer',
    status: 400,
    latencyMs: 0.5,
    model: 'iris',
    grpcCode: 'INVALID_ARGUMENT',
  },
];

describe('request log line', () => {
  it.each(cases)('is what pino writes for the same fields (status $status)', (line) => {
    const ours = capture();
    const theirs = capture();
    requestLineWriter(ours.logger)(line);
    (line.status >= 500 ? theirs.logger.error.bind(theirs.logger) : theirs.logger.info.bind(theirs.logger))(line, 'request');
    expect(ours.lines).toHaveLength(1);
    expect(theirs.lines).toHaveLength(1);
    const [mine, pinos] = [ours.lines[0]!, theirs.lines[0]!];
    expect(withoutTime(mine)).toEqual(withoutTime(pinos));
    expect(Object.keys(JSON.parse(mine) as object)).toEqual(Object.keys(JSON.parse(pinos) as object));
    expect(mine.endsWith('}\n')).toBe(true);
  });

  it('starts with the logger’s own base fields, as pino does: the node server’s pid', () => {
    const ours = capture('info', { pid: 4242 });
    const theirs = capture('info', { pid: 4242 });
    requestLineWriter(ours.logger)(cases[0]!);
    theirs.logger.info(cases[0]!, 'request');
    expect(Object.keys(JSON.parse(ours.lines[0]!) as object).slice(0, 5)).toEqual(['level', 'time', 'service', 'pid', 'requestId']);
    expect(withoutTime(ours.lines[0]!)).toEqual(withoutTime(theirs.lines[0]!));
    expect(Object.keys(JSON.parse(ours.lines[0]!) as object)).toEqual(Object.keys(JSON.parse(theirs.lines[0]!) as object));
  });

  it('follows the logger level: at warn only 5xx lines are written, as errors', () => {
    const { logger, lines } = capture('warn');
    const write = requestLineWriter(logger);
    write(cases[0]!);
    write(cases[3]!);
    expect(lines.map((l) => (JSON.parse(l) as { level: string; status: number })).map((l) => [l.level, l.status])).toEqual([['error', 503]]);
  });

  it('goes through logger.info / logger.error for a logger not made by createLogger', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    requestLineWriter(logger)(cases[0]!);
    requestLineWriter(logger)(cases[3]!);
    expect(lines.map((l) => [l['level'], l['msg'], l['requestId']])).toEqual([
      [30, 'request', 'trace-42'],
      [50, 'request', 'y'],
    ]);
  });
});
