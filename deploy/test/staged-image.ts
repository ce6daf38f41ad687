// Image folders staged for the tests by the real stage script, from the app's bundles (deploy:bundle-<target>,
// which this project's test target depends on) and the test fixtures' models, into a temp folder outside the
// workspace, and run there with a bare environment, so they can use only what the image will hold: no workspace
// node_modules, no NODE_PATH, no npm settings.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bundledModelDir, type LambdaEvent } from '@onnx-serve/testing';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { imageTargets } from '../build/image-targets';
import { stageImage, targetArch } from '../build/stage-image';

const copies: string[] = [];
const children: ChildProcess[] = [];

/** A fresh image folder for `name`, as its stage target writes one, holding the fixture models. */
export async function stageFixtureImage(name: 'lambda' | 'server'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `staged-${name}-`));
  copies.push(dir);
  await stageImage(imageTargets[name], { arch: targetArch(), modelDir: bundledModelDir, outDir: dir });
  return dir;
}

export async function removeStagedCopies(): Promise<void> {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(copies.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** PATH (to find node) and the variables given: nothing else of this process's environment. */
export const bareEnv = (vars: Record<string, string> = {}): Record<string, string> => ({ PATH: process.env['PATH'] ?? '', ...vars });

export interface StagedProcess {
  child: ChildProcess;
  /** The JSON log lines it wrote to stdout, as they come. */
  logLines: Record<string, unknown>[];
  /** What it wrote to stderr so far (also passed on to this process's stderr). */
  stderr(): string;
  /** Resolves with the first log line whose msg is `msg` (already written or still to come). */
  logged(msg: string): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

export function startStaged(dir: string, args: string[], env: Record<string, string>, ipc = false): StagedProcess {
  const child = spawn(process.execPath, args, { cwd: dir, env: bareEnv(env), stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc' as const] : [])] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  const logLines: Record<string, unknown>[] = [];
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    logLines.push(line);
    for (const waiter of waiters.filter((w) => w.msg === line['msg'])) waiter.resolve(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logged = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const found = logLines.find((l) => l['msg'] === msg);
      if (found) resolve(found);
      else waiters.push({ msg, resolve });
    });
  return { child, logLines, stderr: () => stderr, logged, exited };
}

// Imports the handler as the Lambda runtime does (init: the module's top-level await), then answers each event
// sent over IPC with the handler's result.
const invokeRunner = `
const { handler } = await import('./index.mjs');
const context = { awsRequestId: 'staged-test', functionName: 'staged', getRemainingTimeInMillis: () => 29000 };
process.on('message', async ({ id, event }) => process.send({ id, result: await handler(event, context) }));
process.send({ ready: true });
`;

export interface StagedLambda extends StagedProcess {
  invoke(event: LambdaEvent): Promise<APIGatewayProxyResult>;
}

/** The staged Lambda folder's handler in its own node process, ready once its init (the model load) is done. */
export async function startStagedLambda(dir: string, env: Record<string, string>): Promise<StagedLambda> {
  await writeFile(join(dir, 'invoke-runner.mjs'), invokeRunner);
  const staged = startStaged(dir, ['invoke-runner.mjs'], env, true);
  const pending = new Map<number, (result: APIGatewayProxyResult) => void>();
  let nextId = 0;
  await new Promise<void>((resolve, reject) => {
    staged.child.on('message', (message: { ready?: true; id?: number; result?: APIGatewayProxyResult }) => {
      if (message.ready) resolve();
      else pending.get(message.id!)?.(message.result!);
    });
    void staged.exited.then((code) => reject(new Error(`the staged Lambda exited with ${code} during init`)));
  });
  return {
    ...staged,
    invoke: (event) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        staged.child.send({ id, event });
      }),
  };
}
