/** A generator option that cannot be used, said in words: the generator stops before it writes anything. */
export class GeneratorOptionError extends Error {
  override name = 'GeneratorOptionError';
}
