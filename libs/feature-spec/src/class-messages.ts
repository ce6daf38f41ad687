// A classifier's per-class messages, in the style of the tutorials' "99.0% chance of spam": a template syntax small
// enough to check whole when the spec is parsed, so a prediction can never meet a placeholder it cannot fill.
import type { OutputMapping } from './model-spec';

type Classification = Extract<OutputMapping, { kind: 'classification' }>;

/** What a message is filled from: one prediction's label and scores, and the spec's threshold. */
export interface MessageValues {
  label: string;
  probabilities?: Record<string, number>;
  threshold?: number;
}

const placeholder = /\{([^{}]*)\}/g;
const syntax = '{label}, {probability}, {probability:<class>} or {threshold}';

/** 0.99 → "99.0%". */
export function asPercent(probability: number): string {
  return `${(probability * 100).toFixed(1)}%`;
}

/** Every problem of one template against the spec's outputs; none when each placeholder can be filled. */
export function messageProblems(template: string, outputs: Classification): string[] {
  const problems: string[] = [];
  if (/[{}]/.test(template.replace(placeholder, ''))) problems.push(`has an unmatched brace; braces only enclose placeholders: ${syntax}`);
  const probabilities = outputs.scoreKind === 'probabilities' && outputs.scoresOutput !== undefined;
  for (const [token, name = ''] of template.matchAll(placeholder)) {
    const [kind, className] = splitOnce(name, ':');
    if (kind === 'label' && className === undefined) continue;
    if (kind === 'probability' && className !== undefined && !outputs.classes.includes(className)) {
      problems.push(`${token}: unknown class "${className}"; the classes are: ${outputs.classes.join(', ')}`);
    } else if (kind === 'probability' || (kind === 'threshold' && className === undefined)) {
      if (!probabilities) problems.push(`${token} needs a scoresOutput of scoreKind "probabilities"`);
      if (kind === 'threshold' && outputs.threshold === undefined) problems.push(`${token}: the spec sets no threshold`);
    } else {
      problems.push(`${token} is not a placeholder; use ${syntax}`);
    }
  }
  return problems;
}

/** The template filled for one prediction (checked by messageProblems when the spec was parsed). */
export function renderMessage(template: string, values: MessageValues): string {
  return template.replace(placeholder, (_token, name: string) => {
    const [kind, className = values.label] = splitOnce(name, ':');
    if (kind === 'label') return values.label;
    if (kind === 'threshold') return asPercent(values.threshold ?? NaN);
    return asPercent(values.probabilities?.[className] ?? NaN);
  });
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
