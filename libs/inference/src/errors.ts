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

/** Feeds given to LoadedModel.run do not match the model's signature. */
export class InvalidFeedsError extends Error {
  override name = 'InvalidFeedsError';
}
