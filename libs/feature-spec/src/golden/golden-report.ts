// A golden report for people: one line per check, then every mismatch and problem under it. The verify command,
// the server's refusal at start and its warning all print this same text.
import type { GoldenMismatch, GoldenReport, OutputCheck } from './golden-compare';

/** Mismatches listed per check before the rest are counted (a wholly wrong model would print thousands). */
const listedMismatches = 20;

/** `title` names the model (`digits:1`); the text has no trailing newline. */
export function formatGoldenReport(title: string, report: GoldenReport): string {
  const { relative, absolute } = report.tolerance;
  const verdict = report.passed ? 'passed' : 'FAILED';
  const lines = [
    `${title}: golden rows ${verdict} (${report.rows} rows of ${report.source}; tolerance ${relative} relative, ${absolute} absolute, labels exact)`,
  ];
  const width = Math.max(0, ...report.checks.map((check) => check.name.length));
  for (const check of report.checks) {
    lines.push(`  ${check.name.padEnd(width)}  ${summary(check)}`);
    for (const mismatch of check.mismatches.slice(0, listedMismatches)) lines.push(`      ${describeMismatch(mismatch, check, report.labels)}`);
    const more = check.mismatches.length - listedMismatches;
    if (more > 0) lines.push(`      … and ${more} more`);
  }
  for (const problem of report.problems) lines.push(`  problem: ${problem}`);
  return lines.join('\n');
}

function summary(check: OutputCheck): string {
  const verdict = check.passed ? 'ok' : 'FAIL';
  if (check.kind === 'labels') {
    const differ = check.mismatches.length === 0 ? 'all equal' : `${check.mismatches.length} differ`;
    return `${verdict}  labels: ${check.compared} compared, ${differ}`;
  }
  const errors = `max abs error ${exponent(check.maxAbsError)}, max rel error ${exponent(check.maxRelError)}`;
  const beyond = check.mismatches.length === 0 ? '' : `; ${check.mismatches.length} of ${check.compared} beyond tolerance`;
  return `${verdict}  values: ${errors}${beyond}`;
}

function describeMismatch(mismatch: GoldenMismatch, check: OutputCheck, labels: string[] | undefined): string {
  const where = `row ${mismatch.row}${mismatch.column === undefined ? '' : `[${mismatch.column}]`}`;
  const show = (value: GoldenMismatch['expected']) => {
    const name = check.kind === 'labels' && typeof value === 'number' ? labels?.[value] : undefined;
    return name === undefined ? JSON.stringify(value) : `${value} (${JSON.stringify(name)})`;
  };
  return `${where}: expected ${show(mismatch.expected)}, got ${show(mismatch.got)}`;
}

function exponent(value: number): string {
  return value === 0 ? '0' : Number.isFinite(value) ? value.toExponential(2) : String(value);
}
