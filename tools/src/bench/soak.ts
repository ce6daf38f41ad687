// Soak: the full server (the staged server folder, `node .`) under an open-loop 1-row load at a share of its
// saturating rate (found with the same open-loop load, openLoopSaturation) for a long time. Passes when no request failed (non-2xx, socket error) and the resident memory of
// its process tree stayed flat after warm-up: the median of the last third of the samples past warm-up under 1.1x
// the median of the first third (medians, as a major GC swings one sample by a fifth either way). Exits 1 otherwise.
// Each sample also gives the share of the machine's CPU time the hypervisor gave other guests (steal): on a VM a
// slow stretch may be the host's. Stage the folder first (npx nx run examples:stage-server).
//   npx tsx tools/src/bench/soak.ts                      (10 minutes at 70% of saturation)
//   SOAK_SECONDS=30 npx tsx tools/src/bench/soak.ts      (a quick try)
// Options (env): SOAK_SECONDS (600), LOAD_SHARE (0.7), WARMUP_SECONDS (a sixth of the run, at most 60),
// SAMPLE_SECONDS (10, or less for short runs), CONNECTIONS (16, for finding saturation), WEB_CONCURRENCY (1).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineCpuMs, median, percentile, workspaceRoot, wrk } from './harness';
import { openLoop, openLoopSaturation } from './open-loop';
import { type BenchContext, diabetesBody, startFullServer } from './scenarios/scenario';

const env = process.env;
const seconds = Number(env['SOAK_SECONDS'] ?? 600);
const share = Number(env['LOAD_SHARE'] ?? 0.7);
const warmup = Number(env['WARMUP_SECONDS'] ?? Math.min(60, Math.ceil(seconds / 6)));
const sampleSeconds = Number(env['SAMPLE_SECONDS'] ?? Math.min(10, Math.max(1, seconds / 30)));
const scratch = mkdtempSync(join(tmpdir(), 'soak-'));
const logDir = join(scratch, 'logs');
mkdirSync(logDir);
const ctx: Pick<BenchContext, 'stagedServer' | 'logDir'> = { stagedServer: `${workspaceRoot}dist/services/examples/server`, logDir };

const server = await startFullServer(ctx, 'soak', { WEB_CONCURRENCY: env['WEB_CONCURRENCY'] ?? '1' });
let failed = false;
try {
  const body = diabetesBody(1);
  const url = `${server.base}/v1/models/diabetes/predict`;
  const closedLoop = wrk(url, { body, connections: Number(env['CONNECTIONS'] ?? 16), seconds: 5, scratch }).rps;
  const saturated = await openLoopSaturation(url, body, closedLoop);
  const rate = Math.max(1, Math.round(saturated * share));
  console.log(
    `saturation ${saturated.toFixed(0)} req/s open loop (wrk, closed loop: ${closedLoop.toFixed(0)}); soaking at ${rate} req/s ` +
      `(${share * 100}%) for ${seconds} s, warm-up ${warmup} s, logs ${logDir}`,
  );
  const samples: { at: number; rssMiB: number; ok: number; failures: number; p99Ms: number; sendLateP99Ms: number }[] = [];
  for (let at = 0; at < seconds; at += sampleSeconds) {
    const slice = Math.min(sampleSeconds, seconds - at);
    const before = machineCpuMs();
    const { byStatus, errors, sendLateness } = await openLoop(url, { body, rate, seconds: slice });
    const ok = byStatus.get(200) ?? [];
    const failures = errors + [...byStatus].filter(([status]) => status !== 200).reduce((n, [, l]) => n + l.length, 0);
    const after = machineCpuMs();
    const stealPct = (100 * (after.steal - before.steal)) / Math.max(1, after.total - before.total);
    const sample = { at: at + slice, rssMiB: server.rssBytes() / 2 ** 20, ok: ok.length, failures, p99Ms: percentile(ok, 99), sendLateP99Ms: percentile(sendLateness, 99) };
    samples.push(sample);
    console.log(`  ${String(sample.at).padStart(5)} s  rss ${sample.rssMiB.toFixed(1)} MiB  ok ${sample.ok}  failures ${sample.failures}  p99 ${sample.p99Ms.toFixed(1)} ms  (sent late by ≤ ${sample.sendLateP99Ms.toFixed(1)} ms, p99)  steal ${stealPct.toFixed(1)}%`);
  }
  const failures = samples.reduce((n, s) => n + s.failures, 0);
  const settled = samples.filter((s) => s.at > warmup);
  const third = Math.max(1, Math.floor(settled.length / 3));
  const rss = (part: typeof settled) => median(part.map((s) => s.rssMiB));
  const [early, late] = [rss(settled.slice(0, third)), rss(settled.slice(-third))];
  const peak = Math.max(...settled.map((s) => s.rssMiB));
  const growth = late / early - 1;
  failed = failures > 0 || !(growth < 0.1);
  console.log(
    `${failed ? 'FAIL' : 'PASS'}: ${failures} failed requests; rss after warm-up: median ${early.toFixed(1)} MiB in the first third, ` +
      `${late.toFixed(1)} MiB in the last (${(growth * 100).toFixed(1)}% growth, limit 10%), peak ${peak.toFixed(1)} MiB`,
  );
} finally {
  await server.stop();
}
process.exit(failed ? 1 : 0);

