// What the probes and the model metadata routes answer, as zod schemas: the typed client parses every answer
// with them and the OpenAPI document is generated from them.
import { modelSpecSchema, tensorDtypes } from '@onnx-serve/feature-spec';
import { z } from 'zod';

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

export const modelDetailSchema = z.object({
  name: z.string(),
  version: z.string(),
  versions: z.array(z.string()),
  sha256: z.string(),
  mode: modeSchema,
  spec: modelSpecSchema.nullable(),
  signature: modelSignatureSchema,
  patches: z.array(z.string()).meta({ description: 'What the server changed in the ONNX file to run it.' }),
});

export type HealthBody = z.infer<typeof healthSchema>;
export type ReadyBody = z.infer<typeof readySchema>;
export type VersionBody = z.infer<typeof versionSchema>;
export type ModelSummary = z.infer<typeof modelSummarySchema>;
export type ModelList = z.infer<typeof modelListSchema>;
export type ModelDetail = z.infer<typeof modelDetailSchema>;
