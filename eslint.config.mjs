// Lint for every project. The module-boundary rule is what keeps the layers honest:
// libraries never import apps, only the inference library touches onnxruntime, only infra touches cdktf.
import nx from '@nx/eslint-plugin';
import vitest from '@vitest/eslint-plugin';

const cdktf = ['cdktf', 'cdktf-cli', '@cdktf/*', 'constructs'];
const onnxruntime = ['onnxruntime-node', 'onnxruntime-common', 'onnxruntime-web'];
const awsSdk = ['@aws-sdk/*'];
const serverSide = ['hono', 'hono/*', '@hono/*', 'pino', 'prom-client'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/cdktf.out', '**/.nx', '**/tmp', 'nx-plugin/index.cjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // zod's `z` object refers to every locale it ships, which no bundler can then leave out: ~600 KB more for
      // the server bundle to compile at each start. The namespace import lets esbuild keep only what is used.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
          message: "import * as z from 'zod' (see eslint.config.mjs)",
        },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Pure libraries: schemas and feature specs, shared by server, clients, docs and tools.
            {
              sourceTag: 'runtime:pure',
              onlyDependOnLibsWithTags: ['runtime:pure'],
              bannedExternalImports: [...onnxruntime, ...cdktf, ...awsSdk, ...serverSide],
            },
            // The inference library is the only project that may import onnxruntime.
            {
              sourceTag: 'runtime:onnx',
              onlyDependOnLibsWithTags: ['runtime:pure'],
              bannedExternalImports: [...cdktf, ...awsSdk, ...serverSide],
            },
            // Cloud adapters (S3 model source): the AWS SDK, nothing of the server or infra.
            {
              sourceTag: 'runtime:aws',
              onlyDependOnLibsWithTags: ['runtime:pure', 'runtime:onnx'],
              bannedExternalImports: [...onnxruntime, ...cdktf, ...serverSide],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:lib'],
              bannedExternalImports: [...onnxruntime, ...cdktf],
            },
            {
              sourceTag: 'type:infra',
              onlyDependOnLibsWithTags: ['runtime:pure'],
              bannedExternalImports: [...onnxruntime, ...serverSide],
            },
            // The image projects (deploy/): bundle and stage the app, test the images as black boxes. Libraries only,
            // never the app's code: the images' answers are compared with recorded ones, not with the app's.
            {
              sourceTag: 'type:deploy',
              onlyDependOnLibsWithTags: ['type:lib'],
              bannedExternalImports: [...onnxruntime, ...cdktf, ...serverSide],
            },
            // Test helpers (libs/testing): pure, for the tests of every project.
            {
              sourceTag: 'runtime:test',
              onlyDependOnLibsWithTags: ['runtime:pure'],
              bannedExternalImports: [...onnxruntime, ...cdktf, ...awsSdk, ...serverSide],
            },
            // The workspace's Nx plugin (service projects, generators): the libs, never the app, infra or a server.
            {
              sourceTag: 'type:plugin',
              onlyDependOnLibsWithTags: ['type:lib'],
              bannedExternalImports: [...onnxruntime, ...cdktf, ...awsSdk, ...serverSide],
            },
            // Tools (benchmarks, model inspection) may run raw onnxruntime: the benchmark's floor is raw inference.
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:lib'],
              bannedExternalImports: [...cdktf],
            },
          ],
        },
      ],
    },
  },
  // The test helpers are for tests: production code never imports them.
  {
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts', '**/test/**/*.ts', 'libs/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@onnx-serve/testing', message: 'test helpers: only tests import them' }] }],
    },
  },
  // Per-project vitest configs share one root helper; they are build config, not code across project lines.
  { files: ['**/vitest.config.ts'], rules: { '@nx/enforce-module-boundaries': 'off' } },
  {
    // libs/testing: the tests' shared helpers, held to the tests' rules.
    files: ['**/*.test.ts', '**/test/**/*.ts', 'libs/testing/src/**/*.ts'],
    plugins: { vitest },
    rules: {
      // Tests index fixtures they just built; a wrong index fails the test anyway.
      '@typescript-eslint/no-non-null-assertion': 'off',
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
      // Helpers named expect… (expectClose, expectSamePrediction) assert too.
      'vitest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', '*.expect*'] }],
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
    },
  },
];
