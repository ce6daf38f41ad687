// float16 conversion, checked over all 65,536 bit patterns rather than a few hand-picked values.
import { describe, expect, it } from 'vitest';
import { fromFloat16Bits, toFloat16Bits } from './float16';

describe('float16 bits ↔ numbers', () => {
  it('turns every half back into its own bits (NaN into the canonical quiet NaN)', () => {
    const wrong: string[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const isNaN = (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;
      const back = toFloat16Bits(fromFloat16Bits(bits));
      if (back !== (isNaN ? 0x7e00 : bits)) wrong.push(`0x${bits.toString(16)} → 0x${back.toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds halfway cases to the even neighbour and overflow to infinity', () => {
    const one = 0x3c00;
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(one); // halfway between 1 and the next half: ties to even (1)
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(one + 2); // halfway between odd and even: up to even
    expect(toFloat16Bits(65519.99)).toBe(0x7bff); // 65504, the largest half
    expect(toFloat16Bits(65520)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -25)).toBe(0); // halfway to the smallest subnormal: ties to zero
    expect(toFloat16Bits(-0)).toBe(0x8000);
  });
});
