// How many workers the node server runs: WEB_CONCURRENCY (default: the CPUs this process may use), fewer when
// WORKER_MEMORY_MB is set and the memory cannot hold that many (each worker holds its own model sessions).
import { totalmem } from 'node:os';
import type { WorkersConfig } from '../config';

export interface WorkerPlan {
  workers: number;
  /** WEB_CONCURRENCY. */
  wanted: number;
  /** The memory the workers share, in MiB (memoryLimitMb). */
  memoryMb: number;
  /** WORKER_MEMORY_MB; null when unset. */
  memoryMbEach: number | null;
}

/** The memory this process may use, in MiB: its cgroup's limit where there is one (a container), else the machine's. */
export function memoryLimitMb(): number {
  const total = totalmem();
  // 0, or a huge number, when unconstrained.
  const constrained = process.constrainedMemory?.() ?? 0;
  const bytes = constrained > 0 && constrained < total ? constrained : total;
  return Math.floor(bytes / 1024 / 1024);
}

/** N = min(WEB_CONCURRENCY, floor(memory / WORKER_MEMORY_MB)), and never fewer than one. */
export function planWorkers(config: WorkersConfig, memoryMb: number): WorkerPlan {
  const fit = config.memoryMbEach === null ? config.wanted : Math.max(1, Math.floor(memoryMb / config.memoryMbEach));
  return { workers: Math.min(config.wanted, fit), wanted: config.wanted, memoryMb, memoryMbEach: config.memoryMbEach };
}
