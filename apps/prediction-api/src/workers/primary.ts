// The node server's primary process when WEB_CONCURRENCY > 1. It serves nothing itself: it forks the workers (each
// listens on the shared port, node:cluster handing it connections round-robin, and loads its own models), restarts
// one that exits, after a backoff and with the reason logged, tells every worker once all of them have loaded (so
// /ready answers 503 until then), aggregates their metrics, keeps the rate limit's buckets for all of them, and on
// SIGTERM/SIGINT drains them all. A worker that exits before it has loaded its models, 3 times in a row, ends the
// primary with exit 1 and the worker's own reason, as a single process would have said it.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { ServerConfig } from '../config';
import { TokenBuckets } from '../middleware/token-buckets';
import { startupFailureLine, startupFailureText } from '../startup-failure';
import { isMessage, workerEnv, type PrimaryMessage, type WorkerMessage } from './messages';
import type { WorkerPlan } from './worker-count';

/** Exits in a row before a worker has loaded its models that end the primary. */
const maxStartFailures = 3;
const firstBackoffMs = 100;
const maxBackoffMs = 10_000;
/** A worker that ran this long before it exited is restarted after the first backoff again. */
const stableAfterMs = 30_000;

/** The wait before a slot's `failures`-th restart in a row: 0.1 s, 0.2 s, 0.4 s, … at most 10 s. */
const restartBackoffMs = (failures: number): number => Math.min(maxBackoffMs, firstBackoffMs * 2 ** Math.max(0, failures - 1));

interface Slot {
  index: number;
  worker: Worker | undefined;
  /** Its current worker has loaded its models. */
  ready: boolean;
  startedAt: number;
  /** Exits before ready, in a row. */
  startFailures: number;
  /** Exits after ready, in a row (reset by a worker that ran stableAfterMs). */
  crashes: number;
  /** What its last worker said when it could not start. */
  lastFailure: { message: string; stack: string } | undefined;
  restartTimer: NodeJS.Timeout | undefined;
}

export async function runPrimary(config: ServerConfig, plan: WorkerPlan): Promise<void> {
  const started = performance.now();
  const slots: Slot[] = Array.from({ length: plan.workers }, (_, i) => ({
    index: i + 1,
    worker: undefined,
    ready: false,
    startedAt: 0,
    startFailures: 0,
    crashes: 0,
    lastFailure: undefined,
    restartTimer: undefined,
  }));
  let allReady = false;
  let stopping = false;
  const buckets = config.protection.rateLimit ? new TokenBuckets(config.protection.rateLimit) : undefined;
  // Set once the logger and prom-client have loaded, after the first forks (so after the handlers that use them);
  // `events` holds what the cluster and the signals say until then.
  // eslint-disable-next-line prefer-const -- assigned once, below the handlers that read them
  let logger: Logger, scrape: () => Promise<string>, restarts: Counter;
  const events = heldUntilOpen();

  const fork = (slot: Slot, replacement: boolean) => {
    slot.restartTimer = undefined;
    slot.ready = false;
    slot.lastFailure = undefined;
    slot.startedAt = Date.now();
    slot.worker = cluster.fork({ [workerEnv.slot]: String(slot.index), [workerEnv.replacement]: replacement ? '1' : '0' });
  };
  const slotOf = (worker: Worker) => slots.find((s) => s.worker === worker);
  const send = (worker: Worker, message: PrimaryMessage) => {
    if (worker.isConnected()) worker.send(message);
  };

  const onMessage = (worker: Worker, message: unknown) => {
    if (!isMessage<WorkerMessage>(message)) return;
    const slot = slotOf(worker);
    switch (message.type) {
      case 'onnx-serve:ready': {
        if (!slot) return;
        slot.ready = true;
        slot.startFailures = 0;
        if (allReady) return send(worker, { type: 'onnx-serve:all-ready' });
        if (!slots.every((s) => s.ready)) return;
        allReady = true;
        const pids = slots.map((s) => s.worker?.process.pid);
        logger.info({ workers: slots.length, pids, startMs: Math.round(performance.now() - started) }, 'workers ready');
        for (const s of slots) if (s.worker) send(s.worker, { type: 'onnx-serve:all-ready' });
        return;
      }
      case 'onnx-serve:start-failed':
        if (slot) slot.lastFailure = { message: message.message, stack: message.stack };
        return;
      case 'onnx-serve:metrics':
        return void scrape().then(
          (value) => send(worker, { type: 'onnx-serve:reply', id: message.id, value }),
          (error: unknown) => send(worker, { type: 'onnx-serve:reply', id: message.id, error: `metrics of the workers: ${String(error)}` }),
        );
      case 'onnx-serve:take-token':
        // A worker asks only when the rate limit is on, which the primary read from the same environment.
        return send(worker, { type: 'onnx-serve:reply', id: message.id, value: buckets?.take(message.caller) ?? 0 });
    }
  };

  const onExit = (worker: Worker, code: number, signal: string) => {
    const slot = slotOf(worker);
    if (!slot) return;
    slot.worker = undefined;
    const how = signal ? { signal } : { code };
    if (stopping) {
      if (slots.every((s) => !s.worker)) finish();
      return;
    }
    const workerPid = worker.process.pid;
    if (!slot.ready) {
      slot.startFailures++;
      const fields = { slot: slot.index, workerPid, ...how, attempt: slot.startFailures, reason: slot.lastFailure?.message };
      logger.error(fields, 'worker failed to start');
      if (slot.startFailures >= maxStartFailures) return giveUp(slot, signal ? `signal ${signal}` : `exit code ${code}`);
      slot.restartTimer = setTimeout(() => fork(slot, allReady), restartBackoffMs(slot.startFailures));
      return;
    }
    const ranMs = Date.now() - slot.startedAt;
    slot.crashes = ranMs >= stableAfterMs ? 1 : slot.crashes + 1;
    const restartInMs = restartBackoffMs(slot.crashes);
    restarts.inc();
    logger.error({ slot: slot.index, workerPid, ...how, ranMs, restartInMs }, 'worker exited: restarting');
    slot.restartTimer = setTimeout(() => fork(slot, true), restartInMs);
  };

  let exitCode = 0;
  const finish = () => {
    logger.info({ exitCode }, 'stopped');
    process.exit(exitCode);
  };
  const stop = (fields: Record<string, unknown>) => {
    if (stopping) return;
    stopping = true;
    for (const slot of slots) clearTimeout(slot.restartTimer);
    const alive = slots.flatMap((s) => s.worker ?? []);
    logger.info({ ...fields, workers: alive.length }, 'shutting down: draining in-flight requests');
    if (alive.length === 0) return finish();
    // Each worker drains within a little less than SHUTDOWN_TIMEOUT_MS (workerConfig); one still there at the deadline
    // is stuck (a run holds its event loop) and is killed, so the whole server is gone within SHUTDOWN_TIMEOUT_MS.
    for (const worker of alive) worker.process.kill('SIGTERM');
    setTimeout(() => {
      const stuck = slots.flatMap((s) => s.worker ?? []);
      logger.error({ workerPids: stuck.map((w) => w.process.pid), shutdownTimeoutMs: config.shutdownTimeoutMs }, 'workers still running at the deadline: killed');
      for (const worker of stuck) worker.process.kill('SIGKILL');
      exitCode = 1;
      finish();
    }, config.shutdownTimeoutMs).unref();
  };
  const giveUp = (slot: Slot, lastExit: string) => {
    const reason = slot.lastFailure ?? {
      message: `worker ${slot.index} exited (${lastExit}) before it had loaded its models, ${slot.startFailures} times in a row`,
      stack: '',
    };
    const error = Object.assign(new Error(reason.message), { stack: reason.stack || reason.message });
    process.stderr.write(`${startupFailureLine(error)}\n${startupFailureText(error)}`);
    exitCode = 1;
    stop({ reason: 'a worker cannot start', slot: slot.index, startFailures: slot.startFailures });
  };

  cluster.on('message', (worker: Worker, message: unknown) => events.run(() => onMessage(worker, message)));
  cluster.on('exit', (worker, code, signal) => events.run(() => onExit(worker, code, signal)));
  process.once('SIGTERM', () => events.run(() => stop({ signal: 'SIGTERM' })));
  process.once('SIGINT', () => events.run(() => stop({ signal: 'SIGINT' })));
  // Fork at once: the workers boot while this process loads what only supervising them needs.
  for (const slot of slots) fork(slot, false);
  const [{ createLogger }, { primaryMetrics }] = await Promise.all([import('../logging/logger'), import('./primary-metrics')]);
  logger = createLogger(config.logLevel, 'sync', { pid: process.pid });
  ({ scrape, restarts } = primaryMetrics(() => slots.filter((s) => s.worker).length));
  logger.info({ ...plan, cappedByMemory: plan.workers < plan.wanted }, 'starting workers');
  events.open();
}

/** Runs each function given to `run` at once once `open` has been called, and those given before then at `open`. */
function heldUntilOpen(): { run(event: () => void): void; open(): void } {
  let held: (() => void)[] | undefined = [];
  return {
    run: (event) => (held ? held.push(event) : event()),
    open() {
      const events = held ?? [];
      held = undefined;
      for (const event of events) event();
    },
  };
}
