// Errors the inference library throws on purpose, so callers can tell a bad model or bad feeds from a bug.

/** A model (or its spec) could not be loaded; the message names the file. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
  constructor(
    readonly modelPath: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Models of a store that could not be loaded: every one of them, each failure's message naming its file. */
export class ModelStoreLoadError extends ModelLoadError {
  override name = 'ModelStoreLoadError';
  constructor(readonly failures: readonly { modelPath: string; error: Error }[]) {
    const [first] = failures;
    const count = failures.length === 1 ? '1 model' : `${failures.length} models`;
    const list = failures.map((f) => `- ${f.error.message.replaceAll('\n', '\n  ')}`).join('\n');
    super(first?.modelPath ?? '', `${count} of the store cannot be served:\n${list}`);
  }
}

/** Feeds given to LoadedModel.run do not match the model's signature. */
export class InvalidFeedsError extends Error {
  override name = 'InvalidFeedsError';
}

/**
 * A run stopped before its batch was done because its signal was aborted (the request it serves timed out): the
 * chunks left were not run. `rowsRun` of `rows` had run; `cause` is the signal's reason.
 */
export class RunAbortedError extends Error {
  override name = 'RunAbortedError';
  constructor(
    readonly modelId: string,
    readonly rowsRun: number,
    readonly rows: number,
    options?: ErrorOptions,
  ) {
    super(`model ${modelId}: run stopped after ${rowsRun} of ${rows} rows: its signal was aborted`, options);
  }
}
