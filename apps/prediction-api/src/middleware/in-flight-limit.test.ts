// The in-flight gate's lower bound while the event loop is saturated, with a real loop kept busy: past
// SATURATED_IN_FLIGHT a request is refused only while the loop is busy through whole ticks, and never below it.
import { afterEach, describe, expect, it } from 'vitest';
import { inFlightGate, shedWhileSaturated } from './in-flight-limit';

/** Keeps the event loop busy (bursts of `burstMs` of work, one per turn) for `forMs`. */
function busyFor(forMs: number, burstMs = 5): Promise<void> {
  const until = performance.now() + forMs;
  return new Promise((resolve) => {
    const burst = () => {
      const end = Math.min(until, performance.now() + burstMs);
      while (performance.now() < end);
      if (performance.now() >= until) resolve();
      else setImmediate(burst);
    };
    burst();
  });
}

const idleFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('the saturated bound', () => {
  it('refuses past SATURATED_IN_FLIGHT while the loop is busy, and lets requests in again once it is not', async () => {
    const gate = inFlightGate(10, 3);
    stop = shedWhileSaturated(gate, { everyMs: 10 });
    for (let i = 0; i < 3; i++) gate.enter();
    expect(gate.full).toBe(false); // an idle loop: only MAX_IN_FLIGHT's bound
    await busyFor(100);
    expect(gate.shedding).toBe(true);
    expect(gate.full).toBe(true);
    expect(() => gate.enter()).toThrow(expect.objectContaining({ status: 503, code: 'overloaded' }));
    expect(gate.refusal.message).toMatch(/saturated.*3 requests are in flight \(SATURATED_IN_FLIGHT\)/);
    await idleFor(50);
    expect(gate.shedding).toBe(false);
    gate.enter(); // the 4th
    expect(gate.full).toBe(false);
  });

  it('never refuses below SATURATED_IN_FLIGHT, however busy the loop', async () => {
    const gate = inFlightGate(10, 3);
    stop = shedWhileSaturated(gate, { everyMs: 10 });
    gate.enter();
    gate.enter();
    await busyFor(100);
    expect(gate.shedding).toBe(true);
    expect(gate.full).toBe(false);
    gate.enter();
    expect(gate.full).toBe(true);
  });

  it('at MAX_IN_FLIGHT the refusal names MAX_IN_FLIGHT, and without a saturated bound only it applies', async () => {
    const gate = inFlightGate(2);
    stop = shedWhileSaturated(gate, { everyMs: 10 });
    gate.enter();
    await busyFor(100);
    expect(gate.full).toBe(false);
    gate.enter();
    expect(gate.full).toBe(true);
    expect(gate.refusal.message).toMatch(/at its limit of 2 requests in flight \(MAX_IN_FLIGHT\)/);
  });
});
