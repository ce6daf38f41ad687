// The golden rows of one model version replayed over HTTP: sent as a client sends them (the v1 predict route, in
// batches within MAX_INSTANCES), and the answers turned back into outputs for the same comparison as in-process.
import { PredictionApiError, type PredictionClient } from '@onnx-serve/api-contract';
import {
  answeredOutputs,
  goldenFeatureInstances,
  goldenRawInstances,
  judgeGoldenAnswers,
  refusedRows,
  type GoldenFile,
  type GoldenReport,
} from '@onnx-serve/feature-spec';
import { goldenTolerance } from '@onnx-serve/inference';

/** The server cannot be asked at all (unreachable, a key missing or refused, rate-limited): nothing was verified. */
export class EndpointError extends Error {}

export interface HttpReport {
  report: GoldenReport;
  /** Expected outputs the v1 answer does not carry (the spec reads no such output): compared in-process only. */
  notCompared: string[];
}

/** `name:version` as the server at `baseUrl` serves it, against its golden rows. Throws EndpointError. */
export async function verifyOverHttp(
  client: PredictionClient,
  baseUrl: string,
  ref: { name: string; version: string },
  golden: GoldenFile,
  maxInstances: number,
): Promise<HttpReport> {
  const failed = (problem: string): HttpReport => ({ report: judgeGoldenAnswers(golden, null, goldenTolerance(null), { problems: [problem] }), notCompared: [] });
  let detail;
  try {
    detail = await client.getModel(ref.name, ref.version);
  } catch (error) {
    return failed(`${baseUrl} does not serve ${ref.name}:${ref.version}: ${answerProblem(error, baseUrl)}`);
  }
  // The version as served: its spec (or raw mode) is what the rows are sent and read by.
  const { spec, signature } = detail;
  const tolerance = goldenTolerance(spec);
  let instances: unknown[];
  try {
    instances = spec ? goldenFeatureInstances(golden, spec) : goldenRawInstances(golden, signature);
  } catch (error) {
    return failed((error as Error).message);
  }
  const predictions: unknown[] = [];
  for (let offset = 0; offset < instances.length; offset += maxInstances) {
    const batch = instances.slice(offset, offset + maxInstances) as Parameters<PredictionClient['predict']>[1];
    try {
      predictions.push(...(await client.predict(ref.name, batch, { version: ref.version })).predictions);
    } catch (error) {
      if (error instanceof PredictionApiError && error.status === 400 && error.issues) {
        return { report: judgeGoldenAnswers(golden, spec, tolerance, { problems: refusedRows(error.issues, offset) }), notCompared: [] };
      }
      return failed(`POST ${ref.name}:${ref.version} predict: ${answerProblem(error, baseUrl)}`);
    }
  }
  const outputs = answeredOutputs(spec, signature, predictions, golden);
  const notCompared = [...Object.keys(golden.expected), ...Object.keys(golden.expectedArgmax)].filter((name) => !outputs[name]);
  const carried = <T>(byOutput: Record<string, T>) => Object.fromEntries(Object.entries(byOutput).filter(([name]) => outputs[name]));
  const compared = { ...golden, expected: carried(golden.expected), expectedArgmax: carried(golden.expectedArgmax) };
  return { report: judgeGoldenAnswers(compared, spec, tolerance, { outputs, predictions }), notCompared: [...new Set(notCompared)] };
}

/**
 * What an answer other than the expected one says, for a report; throws EndpointError where no answer can be had:
 * no connection, a key missing or refused, a rate limit, or a server that does not answer in the API's shape.
 */
function answerProblem(error: unknown, baseUrl: string): string {
  if (!(error instanceof PredictionApiError)) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new EndpointError(`${baseUrl}: cannot be reached: ${cause ?? (error as Error).message}`);
  }
  const answered = `${error.status} ${error.code}: ${error.message}`;
  if (error.status === 401) throw new EndpointError(`${baseUrl} answered ${answered} (give the key with --api-key or API_KEY)`);
  if (error.status === 403) throw new EndpointError(`${baseUrl} answered ${answered} (is --api-key, or API_KEY, a key of this endpoint?)`);
  if (error.status === 429) throw new EndpointError(`${baseUrl} answered ${answered} (rate-limited: try again later)`);
  if (error.code === 'unexpected_response' && error.status !== 404 && error.status < 500) throw new EndpointError(`${baseUrl}: ${error.message}`);
  return answered;
}
