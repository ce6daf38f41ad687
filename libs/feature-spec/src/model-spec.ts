// The model spec: what a model's callers send (named features) and how that maps onto the ONNX graph.
// It is the single source the request validator, the batch builder, the OpenAPI docs and the HTML form derive from.
import * as z from 'zod';

export const featureTypes = ['number', 'integer', 'string', 'boolean'] as const;
export type FeatureType = (typeof featureTypes)[number];

/** Element types of ONNX tensors, named as onnxruntime-node names them. */
export const tensorDtypes = [
  'float32',
  'float64',
  'float16',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'bool',
  'string',
] as const;
export type TensorDtype = (typeof tensorDtypes)[number];

const featureValue = z.union([z.number(), z.string(), z.boolean()]);
export type FeatureValue = z.infer<typeof featureValue>;

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must start with a letter or _ and hold only letters, digits, _ . -');

export const featureSpecSchema = z
  .object({
    name: identifier,
    type: z.enum(featureTypes),
    description: z.string().optional(),
    unit: z.string().optional(),
    /** Inclusive bounds for number/integer features. */
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    /** The only values accepted (a closed set of choices). */
    enum: z.array(featureValue).min(1).optional(),
    /** Longest accepted string, in characters. */
    maxLength: z.number().int().positive().optional(),
    /** A feature is required unless it declares a default (or missing "nan"); a default is never invented. */
    default: featureValue.optional(),
    /**
     * "nan": a missing value (null, or the field left out) reaches the model as NaN, and each prediction lists the
     * feature in `missing`. For number and integer features fed into a float32/float64 tensor: a pipeline with an
     * imputer, or a model that routes NaN itself (LightGBM, XGBoost). Without it a missing number is refused, never
     * fed as 0. (A string feature's missing value is its default: "" for skl2onnx's SimpleImputer(missing_values="").)
     */
    missing: z.literal('nan').optional(),
    /** An example value, used in docs and forms. */
    example: featureValue.optional(),
  })
  .strict();
export type FeatureSpec = z.infer<typeof featureSpecSchema>;

/** All features in one matrix input (the usual scikit-learn export). */
const matrixInputs = z
  .object({
    kind: z.literal('matrix'),
    input: z.string().min(1),
    dtype: z.enum(tensorDtypes),
    /** The features in column order; absent, the columns are the features in the order the spec lists them. */
    columns: z.array(identifier).min(1).optional(),
  })
  .strict();

/** One [N,1] tensor per feature (the usual export of a ColumnTransformer over named columns). */
const perFeatureInputs = z
  .object({
    kind: z.literal('per-feature'),
    tensors: z
      .array(
        z
          .object({
            feature: identifier,
            /** The ONNX input it feeds; absent, the input named as the feature. */
            input: z.string().min(1).optional(),
            dtype: z.enum(tensorDtypes),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const inputMappingSchema = z.discriminatedUnion('kind', [matrixInputs, perFeatureInputs]);
export type InputMapping = z.infer<typeof inputMappingSchema>;

const regressionOutputs = z
  .object({
    kind: z.literal('regression'),
    /** The output holding the predicted value, shape [N] or [N,1]. */
    output: z.string().min(1),
    /** The predicted value's unit, shown with it (the model pages). */
    unit: z.string().optional(),
    /** The range of the target in the training data: a page shows where a prediction falls in it. */
    trainingRange: z
      .object({ minimum: z.number(), maximum: z.number() })
      .strict()
      .refine((range) => range.minimum <= range.maximum, 'minimum must not exceed maximum')
      .optional(),
  })
  .strict();

const classificationOutputs = z
  .object({
    kind: z.literal('classification'),
    /** Class names, indexed by the model's integer label (label k is classes[k]). */
    classes: z.array(z.string().min(1)).min(2),
    /**
     * The output holding the predicted label (int64 index, or class name), shape [N]. Without one (a PyTorch
     * classifier exports only its logits) the label is the class with the highest score.
     */
    labelOutput: z.string().min(1).optional(),
    /** The output holding per-class scores, shape [N, classes] (or [N,1] for a binary decision function). */
    scoresOutput: z.string().min(1).optional(),
    /** 'probabilities' for predict_proba-style outputs; 'decision' for decision-function scores (SVMs). */
    scoreKind: z.enum(['probabilities', 'decision']).default('probabilities'),
    /**
     * Binary models only: the label is classes[1] when the positive score reaches this threshold
     * (a probability, or a decision score), instead of the model's own label output.
     */
    threshold: z.number().optional(),
    /**
     * A message per class, returned with each prediction of that class as `message` (classes without one get none).
     * Placeholders: {label}; {probability}, the label's probability; {probability:<class>}, that class's; and
     * {threshold}. Probabilities and the threshold are shown as percentages with one decimal ("99.0%"), so they
     * need scoreKind "probabilities". Braces are only for placeholders.
     */
    messages: z.record(z.string(), z.string().min(1)).optional(),
  })
  .strict();

export const outputMappingSchema = z.discriminatedUnion('kind', [regressionOutputs, classificationOutputs]);
export type OutputMapping = z.infer<typeof outputMappingSchema>;

/**
 * How closely the served model must reproduce its golden.json (the rows beside model.onnx): a value passes when
 * |got − expected| ≤ max(relativeTolerance · |expected|, absoluteTolerance). Labels always match exactly.
 */
export const verifySpecSchema = z
  .object({
    /** Default 1e-4. */
    relativeTolerance: z.number().positive().optional(),
    /** The floor near zero, where a relative error means nothing. Default 1e-6. */
    absoluteTolerance: z.number().positive().optional(),
  })
  .strict();

/**
 * Dynamic batching, off unless the spec asks: requests to this model version that arrive together are merged into
 * one model run of at most `maxRows` rows and split back, each caller getting its own rows. A request waits at most
 * `maxWaitMicros` for others to join (0: only those already arrived in the same event-loop turn). It pays for models
 * whose run costs much more than the per-run overhead (large forests, MLPs), not for small ones (see README).
 */
const wholeNumber = (min: number, max: number, what: string) => {
  const message = `must be a whole number of ${what} from ${min} to ${max}`;
  return z.number(message).int(message).min(min, message).max(max, message);
};

export const batchingSpecSchema = z
  .object({
    /** Most rows in one merged run; a request of this many rows or more runs on its own. */
    maxRows: wholeNumber(2, 10_000, 'rows'),
    /** Longest a request waits for others to join, in microseconds (100,000: 100 ms). */
    maxWaitMicros: wholeNumber(0, 100_000, 'microseconds'),
  })
  .strict();
export type BatchingSpec = z.infer<typeof batchingSpecSchema>;

export const modelSpecSchema = z
  .object({
    description: z.string().optional(),
    features: z.array(featureSpecSchema).min(1),
    inputs: inputMappingSchema,
    outputs: outputMappingSchema,
    verify: verifySpecSchema.optional(),
    batching: batchingSpecSchema.optional(),
  })
  .strict();
export type ModelSpec = z.infer<typeof modelSpecSchema>;
