// The Lambda cold start as a caller feels it, for the staged Lambda folder (dist/services/examples/lambda): a fresh node
// process imports index.mjs (the init phase: config, model load) and answers its first prediction. Each run
// is a new process, timed from spawn to "handler ready" to "first prediction answered"; medians are printed.
// It measures this machine, not Lambda: no image download, no Firecracker boot, a warm page cache.
// Run: npx nx run examples:stage-lambda && npx tsx tools/src/bench/lambda-cold-start.ts
// Options (env): RUNS (7), LAMBDA_DIR (dist/services/examples/lambda), LOG_LEVEL for the handler (warn).
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const runs = Number(process.env['RUNS'] ?? 7);
const lambdaDir = resolve(root, process.env['LAMBDA_DIR'] ?? 'dist/services/examples/lambda');

// A Function URL event (payload v2) predicting one iris row.
const firstEvent = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/v1/models/iris/predict',
  rawQueryString: '',
  headers: { 'content-type': 'application/json', host: 'cold-start.lambda-url.us-east-1.on.aws' },
  requestContext: {
    domainName: 'cold-start.lambda-url.us-east-1.on.aws',
    http: { method: 'POST', path: '/v1/models/iris/predict', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'cold-start' },
    stage: '$default',
  },
  body: JSON.stringify({ instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] }),
  isBase64Encoded: false,
};

// The child: import the handler (Lambda's init), say so, answer one event.
const runner = `
const { handler } = await import('./index.mjs');
process.send('ready');
process.once('message', async (event) => {
  process.send(await handler(event, { awsRequestId: 'cold-start', getRemainingTimeInMillis: () => 29000 }));
  process.disconnect();
});
`;

interface ColdStart {
  readyMs: number;
  firstAnswerMs: number;
  totalMs: number;
}

function coldStart(dir: string): Promise<ColdStart> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    let ready = 0;
    const child = spawn(process.execPath, ['cold-start-runner.mjs'], {
      cwd: dir,
      // Only what a Lambda environment would set: no NODE_PATH, no workspace variables.
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('message', (message: 'ready' | { statusCode: number; body: string }) => {
      if (message === 'ready') {
        ready = performance.now();
        child.send(firstEvent);
        return;
      }
      const answered = performance.now();
      if (message.statusCode !== 200) reject(new Error(`first prediction answered ${message.statusCode}: ${message.body}`));
      resolvePromise({ readyMs: ready - started, firstAnswerMs: answered - ready, totalMs: answered - started });
    });
    child.once('exit', (code) => {
      if (!ready) reject(new Error(`the handler exited with ${code} before it was ready`));
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;

// A copy outside the workspace, so nothing resolves from the workspace's node_modules.
const dir = await mkdtemp(join(tmpdir(), 'lambda-cold-start-'));
try {
  await cp(lambdaDir, dir, { recursive: true });
  await writeFile(join(dir, 'cold-start-runner.mjs'), runner);
  console.log(`Lambda cold start of ${lambdaDir}, ${runs} runs (process start → handler ready → first prediction answered)`);
  const results: ColdStart[] = [];
  for (let run = 1; run <= runs; run++) {
    const result = await coldStart(dir);
    results.push(result);
    console.log(`run ${run}: ready ${ms(result.readyMs)}   first answer ${ms(result.firstAnswerMs)}   total ${ms(result.totalMs)}`);
  }
  console.log(
    `median: ready ${ms(median(results.map((r) => r.readyMs)))}   first answer ${ms(median(results.map((r) => r.firstAnswerMs)))}` +
      `   total ${ms(median(results.map((r) => r.totalMs)))}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
