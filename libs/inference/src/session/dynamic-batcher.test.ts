// Dynamic batching on real sessions: concurrent runs merge into one, each caller gets exactly the rows it would have
// got alone, and a failed run fails only the callers that were in it.
import type { ModelSignature, TensorMap } from '@onnx-serve/feature-spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedModel, loadModel } from '../load-model';
import { at, bundledRef, closeTo, goldenFeeds, readGolden, tensor } from '../testing/fixtures';
import type { RunOnce } from './chunked-runner';
import { batchedRunner, batchingProblem } from './dynamic-batcher';

let diabetes: LoadedModel;
let tweets: LoadedModel;
beforeAll(async () => {
  [diabetes, tweets] = await Promise.all([loadModel(bundledRef('diabetes')), loadModel(bundledRef('disaster-tweets'))]);
});
afterAll(async () => {
  await Promise.all([diabetes.release(), tweets.release()]);
});

/** The model's run, recording the rows of each run it is asked for. */
function counted(model: LoadedModel, fail?: (run: number) => boolean): { run: RunOnce; runs: number[] } {
  const runs: number[] = [];
  const run: RunOnce = (feeds) => {
    runs.push(Object.values(feeds)[0]?.dims[0] ?? 0);
    return fail?.(runs.length) ? Promise.reject(new Error(`run ${runs.length} failed`)) : model.run(feeds);
  };
  return { run, runs };
}

const diabetesGolden = readGolden('diabetes');
/** Request i: golden rows i and, for odd i, i+1 too, so the callers hold different row counts. */
const requests = Array.from({ length: 6 }, (_, i) => goldenFeeds(diabetesGolden, diabetesGolden.rows.slice(i, i % 2 ? i + 2 : i + 1)));
const values = (outputs: TensorMap) => [...(tensor(outputs, 'variable').data as Float32Array)];

describe('dynamic batching', () => {
  it('merges concurrent runs into one and gives each caller exactly its own rows', async () => {
    const { run, runs } = counted(diabetes);
    const batched = batchedRunner(diabetes.signature, { maxRows: 64, maxWaitMicros: 5_000 }, run);
    const answers = await Promise.all(requests.map((feeds) => batched(feeds)));
    expect(runs).toEqual([9]);
    const alone = await Promise.all(requests.map((feeds) => diabetes.run(feeds)));
    expect(answers.map(values)).toEqual(alone.map(values));
    answers.forEach((outputs, i) => {
      expect(tensor(outputs, 'variable').dims).toEqual([i % 2 ? 2 : 1, 1]);
      values(outputs).forEach((value, row) => {
        const expected = at(diabetesGolden.expected['variable'] ?? [], i + row) as number;
        expect(closeTo(value, expected), `request ${i} row ${row}: ${value} vs ${expected}`).toBe(true);
      });
    });
  });

  it('closes a batch when it is full, and runs a request of maxRows rows or more on its own', async () => {
    const { run, runs } = counted(diabetes);
    const batched = batchedRunner(diabetes.signature, { maxRows: 4, maxWaitMicros: 50_000 }, run);
    const big = goldenFeeds(diabetesGolden, diabetesGolden.rows.slice(0, 5));
    const answers = await Promise.all([...requests.map((feeds) => batched(feeds)), batched(big)]);
    // 1+2+1 rows fill 4 and run at once; 2+1 run when the next 2 would pass 4; the 5-row request runs alone at once;
    // the last 2 rows when their wait is over.
    expect(runs).toEqual([4, 3, 5, 2]);
    expect(answers.map(values)).toEqual((await Promise.all([...requests, big].map((feeds) => diabetes.run(feeds)))).map(values));
  });

  it('fails only the callers of the batch whose run failed', async () => {
    const { run, runs } = counted(diabetes, (n) => n === 1);
    const batched = batchedRunner(diabetes.signature, { maxRows: 3, maxWaitMicros: 50_000 }, run);
    const settled = await Promise.allSettled(requests.slice(0, 4).map((feeds) => batched(feeds)));
    expect(runs).toEqual([3, 3]);
    expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : values(s.value)))).toEqual([
      'run 1 failed',
      'run 1 failed',
      values(await diabetes.run(at(requests, 2))),
      values(await diabetes.run(at(requests, 3))),
    ]);
  });

  it('merges string inputs of a three-input model, each caller answered as alone', async () => {
    const golden = readGolden('disaster-tweets');
    const { run, runs } = counted(tweets);
    const batched = batchedRunner(tweets.signature, { maxRows: 16, maxWaitMicros: 0 }, run);
    const each = golden.rows.map((row) => goldenFeeds(golden, [row]));
    const answers = await Promise.all(each.map((feeds) => batched(feeds)));
    expect(runs).toEqual([golden.rows.length]);
    const alone = await Promise.all(each.map((feeds) => tweets.run(feeds)));
    const both = (outputs: TensorMap) => [[...tensor(outputs, 'label').data], [...tensor(outputs, 'probabilities').data]];
    expect(answers.map(both)).toEqual(alone.map(both));
  });

  it('refuses a model without a dynamic batch axis, naming the tensor', () => {
    const fixed: ModelSignature = {
      inputs: [{ name: 'X', dtype: 'float32', shape: [1, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [null, 1] }],
    };
    expect(batchingProblem(fixed)).toBe('every input and output needs a dynamic first (batch) axis; "X" has shape [1,4]');
    expect(batchingProblem(diabetes.signature)).toBeUndefined();
    expect(() => batchedRunner(fixed, { maxRows: 8, maxWaitMicros: 0 }, diabetes.run)).toThrow('cannot batch this model');
  });
});
