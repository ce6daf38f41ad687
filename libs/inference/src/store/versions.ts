// Version folder names sort numeric-aware ("2" < "10", "1.9" < "1.10"): the highest is "latest".
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function compareVersions(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

