// One vitest config for every project: the tsconfig path aliases (so tests import libraries exactly as the
// code does) and timeouts that suit tests which load real ONNX models and start real servers.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));

function tsconfigAliases(): Record<string, string> {
  const tsconfig = JSON.parse(readFileSync(resolve(workspaceRoot, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  // Longest first: vite takes the first alias an import starts with, and '@onnx-serve/inference' must not catch
  // '@onnx-serve/inference/settings'.
  return Object.fromEntries(
    Object.entries(tsconfig.compilerOptions.paths)
      .sort(([a], [b]) => b.length - a.length)
      .map(([alias, [target]]) => [alias, resolve(workspaceRoot, target!)]),
  );
}

export function projectTestConfig(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    resolve: { alias: tsconfigAliases() },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  });
}
