// What the probes and the model metadata routes answer, as zod schemas: the typed client parses every answer
// with them and the OpenAPI document is generated from them.
import { modelSpecSchema, tensorDtypes } from '@onnx-serve/feature-spec';
import * as z from 'zod';

export const healthSchema = z.object({ status: z.literal('ok') });

/** 200 once every model has loaded, 503 with status "loading" before. */
export const readySchema = z.union([
  z.object({ status: z.literal('ready'), models: z.int().min(0).meta({ description: 'How many model names are served.' }) }),
  z.object({ status: z.literal('loading') }),
]);

const modelFileSchema = z.object({
  name: z.string(),
  version: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).meta({ description: 'Of the model file as stored, before any patch.' }),
});

export const versionSchema = z.object({
  version: z.string().meta({ description: 'The version of the server build.' }),
  models: z.array(modelFileSchema),
});

const modeSchema = z
  .enum(['features', 'raw'])
  .meta({ description: '"features": named features per its spec.json; "raw": no spec, instances are the ONNX input rows.' });

export const modelSummarySchema = z.object({
  name: z.string(),
  version: z.string().meta({ description: 'The latest version, which /v1/models/{name}/predict uses.' }),
  versions: z.array(z.string()),
  mode: modeSchema,
  task: z.enum(['classification', 'regression']).nullable(),
  description: z.string().nullable(),
});

export const modelListSchema = z.object({ models: z.array(modelSummarySchema) });

export const tensorSignatureSchema = z.object({
  name: z.string(),
  dtype: z.enum([...tensorDtypes, 'unsupported']),
  shape: z.array(z.int().nullable()).meta({ description: 'null where the graph leaves a dimension dynamic.' }),
  zipMapClasses: z
    .array(z.union([z.number(), z.string()]))
    .optional()
    .meta({ description: 'Set where the export returned a ZipMap: its class keys, in column order.' }),
});

export const modelSignatureSchema = z.object({
  inputs: z.array(tensorSignatureSchema),
  outputs: z.array(tensorSignatureSchema),
});

const goldenCheckSchema = z.object({
  name: z.string().meta({ description: 'The ONNX output compared, "argmax(<output>)", or "label (served)".' }),
  kind: z.enum(['values', 'labels']),
  compared: z.int().min(0).meta({ description: 'Elements compared.' }),
  maxAbsError: z.number(),
  maxRelError: z.number(),
  mismatches: z.int().min(0).meta({ description: 'Values beyond the tolerance, or labels that differ.' }),
  passed: z.boolean(),
});

export const verificationSchema = z
  .union([
    z.object({
      status: z.enum(['passed', 'failed']),
      golden: z.string().meta({ description: 'The golden file the rows came from.' }),
      rows: z.int().min(0),
      tolerance: z.object({ relative: z.number(), absolute: z.number() }),
      checks: z.array(goldenCheckSchema),
      failed: z.array(z.string()).meta({ description: 'The checks that failed (only served with GOLDEN_CHECK=warn).' }),
      problems: z.array(z.string()),
    }),
    z.object({ status: z.literal('not-checked'), golden: z.string() }),
  ])
  .nullable()
  .meta({ description: "How the version's golden.json rows replayed at load; null without golden.json." });

export const modelDetailSchema = z.object({
  name: z.string(),
  version: z.string(),
  versions: z.array(z.string()),
  sha256: z.string(),
  mode: modeSchema,
  spec: modelSpecSchema.nullable(),
  signature: modelSignatureSchema,
  patches: z.array(z.string()).meta({ description: 'What the server changed in the ONNX file to run it.' }),
  externalData: z.array(z.string()).meta({ description: 'The external data files the graph keeps tensors in, beside the model file.' }),
  verification: verificationSchema,
});

export type HealthBody = z.infer<typeof healthSchema>;
export type ReadyBody = z.infer<typeof readySchema>;
export type VersionBody = z.infer<typeof versionSchema>;
export type ModelSummary = z.infer<typeof modelSummarySchema>;
export type ModelList = z.infer<typeof modelListSchema>;
export type ModelDetail = z.infer<typeof modelDetailSchema>;
