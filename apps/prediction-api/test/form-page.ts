// What a person sees on a model page, read in headless Chromium: filling a form, the prediction's bars, copying
// the request as code, a CSV batch's progress and download, and screenshots kept as test artifacts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassPrediction } from '@onnx-serve/api-contract';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { workspaceRoot } from './test-server';

export async function fill(page: Page, values: Record<string, string | number>) {
  for (const [name, value] of Object.entries(values)) await page.fill(`[name="${name}"]`, String(value));
}

export async function submitAndReadPrediction(page: Page) {
  await page.click('button[type=submit]');
  await page.waitForSelector('#result:not([hidden])');
  return {
    kind: await page.textContent('#result-kind'),
    label: await page.textContent('#result-label'),
    scoresKind: await page.textContent('#result-scores-kind'),
    bars: await readBars(page),
  };
}

/** Each bar as drawn: its class, the printed value, and the fill's (and threshold line's) place as fractions of the track. */
export async function readBars(page: Page) {
  return page.$$eval('#result-bars .bar', (rows) =>
    rows.map((row) => {
      const track = row.querySelector('.bar-track')!.getBoundingClientRect();
      const fill = row.querySelector('.bar-fill')!.getBoundingClientRect();
      const line = row.querySelector('.bar-threshold')?.getBoundingClientRect();
      return {
        name: row.getAttribute('data-class')!,
        title: row.querySelector('.bar-name')!.textContent,
        winner: row.classList.contains('winner'),
        printed: row.querySelector('.bar-value')!.textContent!,
        start: (fill.left - track.left) / track.width,
        width: fill.width / track.width,
        // The line is 3 px wide, drawn from 1 px left of its place.
        threshold: line ? (line.left + 1 - track.left) / track.width : null,
        pixel: 1 / track.width,
      };
    }),
  );
}

export type Bar = Awaited<ReturnType<typeof readBars>>[number];

/** Probability bars: one per class in the API's order, as wide as the probability (to a pixel), printed as a percentage. */
export function expectProbabilityBars(bars: Bar[], expected: ClassPrediction) {
  const probabilities = expected.probabilities!;
  expect(bars.map((bar) => bar.name)).toEqual(Object.keys(probabilities));
  for (const bar of bars) {
    const p = probabilities[bar.name]!;
    expect(bar.start).toBe(0);
    expect(Math.abs(bar.width - p), `${bar.name}: ${bar.width} of the track for p=${p}`).toBeLessThanOrEqual(1.5 * bar.pixel);
    expect(bar.printed).toBe(`${(100 * p).toFixed(2)}%`);
    expect(bar.winner).toBe(bar.name === expected.label);
    // The threshold's own note, where one is drawn, is checked by its test.
    expect(bar.title!.replace(/ \(threshold [^)]*\)$/, '')).toBe(bar.name === expected.label ? `${bar.name} ✓ predicted` : bar.name);
  }
}

/** Where the browser tests keep their screenshots (gitignored): look at them after a run. */
export const screenshotDir = join(workspaceRoot, 'apps/prediction-api/test-artifacts/screenshots');

/** The whole page at a desktop width (1200 px) and a phone's (375 px), as `<name>-1200.png` and `<name>-375.png`. */
export async function takeScreenshots(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  for (const width of [1200, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
  }
}
