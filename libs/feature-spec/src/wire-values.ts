// The lenient forms a JSON caller may send for a typed value: tutorial curl examples quote numbers ("5.9"),
// HTML forms send booleans as "true"/"false". Anything else passes through unchanged for the type check to reject.

// A plain decimal number: no "", no "12abc", no "0x1f", no "Infinity" (Number() would accept the last three or give 0).
const decimalNumber = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** "5.9" → 5.9; every other value (numbers included, and "1e999", which overflows) unchanged. */
export function fromNumericString(value: unknown): unknown {
  if (typeof value !== 'string' || !decimalNumber.test(value)) return value;
  const number = Number(value);
  return Number.isFinite(number) ? number : value;
}

/** "true"/"false" → true/false; every other value unchanged. */
export function fromBooleanString(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
