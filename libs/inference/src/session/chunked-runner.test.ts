// onnxruntime-node runs a session synchronously on the main thread: these tests show what that costs a small
// request queued behind a big batch, and that cutting the batch into chunks removes it without changing results.
import type { TensorMap } from '@onnx-serve/feature-spec';
import { afterAll, describe, expect, it } from 'vitest';
import { type LoadedModel, loadModel } from '../load-model';
import { at, bundledRef, goldenFeeds, readGolden, tensor } from '../testing/fixtures';
import { chunkedRunner } from './chunked-runner';

const models: LoadedModel[] = [];
async function load(name: Parameters<typeof bundledRef>[0], maxRowsPerRun?: number): Promise<LoadedModel> {
  const model = await loadModel(bundledRef(name), { maxRowsPerRun });
  models.push(model);
  return model;
}
afterAll(async () => {
  await Promise.all(models.map((m) => m.release()));
});

const bigRows = 20_000;
function diabetesBatch(rows: number): TensorMap {
  const data = Float32Array.from({ length: rows * 10 }, (_, i) => Math.sin(i) * 0.05);
  return { X: { dtype: 'float32', dims: [rows, 10], data } };
}

/** Starts the big batch, then one row 2 ms later; returns when each finished, in ms after the start. */
async function smallBehindBig(model: LoadedModel): Promise<{ big: number; small: number }> {
  const [batch, one] = [diabetesBatch(bigRows), diabetesBatch(1)];
  await model.run(diabetesBatch(64)); // a session's first run is slow (allocations): measure warm runs
  const start = performance.now();
  const big = model.run(batch).then(() => performance.now() - start);
  const small = new Promise<number>((resolve, reject) => {
    setTimeout(() => model.run(one).then(() => resolve(performance.now() - start), reject), 2);
  });
  const [bigDone, smallDone] = await Promise.all([big, small]);
  return { big: bigDone, small: smallDone };
}

describe('a big batch in flight', () => {
  it('does not hold back a single-row run started after it (chunks of 64 rows)', async () => {
    const model = await load('diabetes');
    const { big, small } = await smallBehindBig(model);
    expect(small).toBeLessThan(big / 4);
  });

  it('holds back a single-row run for the whole batch when it is not split (why the chunks exist)', async () => {
    const model = await load('diabetes', Infinity);
    const { big, small } = await smallBehindBig(model);
    expect(small).toBeGreaterThanOrEqual(big);
  });
});

/** Golden rows repeated to `count` rows, run in chunks of `maxRowsPerRun` and whole. */
async function chunkedAndWhole(name: Parameters<typeof bundledRef>[0], count: number, maxRowsPerRun: number) {
  const golden = readGolden(name);
  const feeds = goldenFeeds(golden, Array.from({ length: count }, (_, i) => at(golden.rows, i % golden.rows.length)));
  const chunked = await (await load(name, maxRowsPerRun)).run(feeds);
  return { chunked, whole: await (await load(name, Infinity)).run(feeds) };
}

describe('chunked runs', () => {
  it('return the same outputs as one whole run: int64 labels, float32 probabilities', async () => {
    const { chunked, whole } = await chunkedAndWhole('iris', 50, 7);
    expect(tensor(chunked, 'output_label').data).toBeInstanceOf(BigInt64Array);
    expect(chunked).toEqual(whole);
  });

  it('cut string inputs of several tensors along the same rows', async () => {
    const { chunked, whole } = await chunkedAndWhole('disaster-tweets', 10, 3);
    expect(chunked).toEqual(whole);
    expect(tensor(chunked, 'probabilities').dims).toEqual([10, 2]);
  });

  it('hand a batch within maxRowsPerRun to the session in one call, uncopied; a bigger one in chunks', async () => {
    const model = await load('diabetes', Infinity);
    const calls: TensorMap[] = [];
    const run = chunkedRunner(model.signature, 64, (feeds) => {
      calls.push(feeds);
      return model.run(feeds);
    });
    const one = diabetesBatch(1);
    await run(one);
    expect(calls).toEqual([one]);
    expect(calls[0]).toBe(one);
    calls.length = 0;
    const outputs = await run(diabetesBatch(130));
    expect(calls.map((feeds) => tensor(feeds, 'X').dims[0])).toEqual([64, 64, 2]);
    expect(tensor(outputs, 'variable').dims).toEqual([130, 1]);
  });
});

describe('a chunked run whose signal is aborted', () => {
  it('runs no chunk after the abort, and says how many rows ran', async () => {
    const model = await load('diabetes', Infinity);
    const controller = new AbortController();
    const chunkRows: number[] = [];
    const run = chunkedRunner(
      model.signature,
      100,
      (feeds) => {
        chunkRows.push(tensor(feeds, 'X').dims[0]!);
        // The deadline fires while the third chunk runs.
        if (chunkRows.length === 3) controller.abort(new Error('deadline'));
        return model.run(feeds);
      },
      'diabetes:1',
    );
    const stopped = run(diabetesBatch(1000), { signal: controller.signal });
    await expect(stopped).rejects.toThrow('model diabetes:1: run stopped after 300 of 1000 rows: its signal was aborted');
    await expect(stopped).rejects.toMatchObject({ name: 'RunAbortedError', rowsRun: 300, rows: 1000, cause: new Error('deadline') });
    expect(chunkRows).toEqual([100, 100, 100]);
  });

  it('stops a loaded model’s batch at a real deadline: whole chunks ran, the rest did not', async () => {
    const model = await load('diabetes', 10);
    await model.run(diabetesBatch(64));
    const error = await model.run(diabetesBatch(bigRows), { signal: AbortSignal.timeout(5) }).then(
      () => undefined,
      (e: unknown) => e as { name: string; rowsRun: number; rows: number },
    );
    expect(error?.name).toBe('RunAbortedError');
    expect(error!.rows).toBe(bigRows);
    expect(error!.rowsRun % 10).toBe(0);
    expect(error!.rowsRun).toBeGreaterThan(0);
    expect(error!.rowsRun).toBeLessThan(bigRows);
  });

  it('is never stopped when it fits one run, or when the signal is not aborted', async () => {
    const model = await load('diabetes', 100);
    const signal = AbortSignal.abort(new Error('deadline'));
    expect(tensor(await model.run(diabetesBatch(100), { signal }), 'variable').dims).toEqual([100, 1]);
    expect(tensor(await model.run(diabetesBatch(250), { signal: new AbortController().signal }), 'variable').dims).toEqual([250, 1]);
  });
});
