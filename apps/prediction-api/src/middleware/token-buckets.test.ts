// The rate limiter's arithmetic on a clock the test moves: Retry-After, refill, and memory that stays bounded.
import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets';

function bucketsAt(config: { perMinute: number; burst: number }, maxBuckets?: number) {
  const clock = { ms: 0 };
  return { clock, buckets: new TokenBuckets(config, maxBuckets, () => clock.ms) };
}

describe('token buckets', () => {
  it('grants the burst at once, then asks to wait until the next token is due', () => {
    const { clock, buckets } = bucketsAt({ perMinute: 60, burst: 2 });
    expect([buckets.take('a'), buckets.take('a')]).toEqual([0, 0]);
    expect(buckets.take('a')).toBe(1);
    clock.ms = 400;
    expect(buckets.take('a')).toBe(1); // 0.4 of a token: 0.6 s to go, rounded up to whole seconds
    clock.ms = 1000;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
  });

  it('answers a slow rate with the real wait: one a minute means 60 s', () => {
    const { buckets } = bucketsAt({ perMinute: 1, burst: 1 });
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(60);
  });

  it('keeps callers apart', () => {
    const { buckets } = bucketsAt({ perMinute: 60, burst: 1 });
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
    expect(buckets.take('b')).toBe(0);
  });

  it('refills no further than the burst, however long a caller was idle', () => {
    const { clock, buckets } = bucketsAt({ perMinute: 60, burst: 2 });
    buckets.take('a');
    clock.ms = 3_600_000;
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 1]);
  });

  it('forgets buckets idle long enough to be full again', () => {
    const { clock, buckets } = bucketsAt({ perMinute: 60, burst: 5 });
    for (const id of ['a', 'b', 'c']) buckets.take(id);
    clock.ms = 4_000;
    buckets.take('d');
    expect(buckets.size).toBe(4);
    clock.ms = 5_000; // a, b, c were last seen 5 s ago: 5 tokens at 1/s, full
    buckets.take('d');
    expect(buckets.size).toBe(1);
  });

  it('holds at most maxBuckets, dropping the least recently seen', () => {
    const { buckets } = bucketsAt({ perMinute: 60, burst: 1 }, 3);
    for (const id of ['a', 'b', 'c']) buckets.take(id);
    buckets.take('a'); // a is now the most recently seen; b the least
    buckets.take('d');
    expect(buckets.size).toBe(3);
    expect(buckets.take('a')).toBe(1); // kept: still empty
    expect(buckets.take('b')).toBe(0); // dropped: starts full
  });
});
