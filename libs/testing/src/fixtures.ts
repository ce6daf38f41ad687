// Where the tests' fixtures are: test-fixtures/ of this workspace (never a service's store, never /work/shared).
import { fileURLToPath } from 'node:url';

export const fixturesRoot = fileURLToPath(new URL('../../../test-fixtures/', import.meta.url));

/** The fixture model store (test-fixtures/models): what the test servers and the staged images serve. */
export const bundledModelDir = fileURLToPath(new URL('../../../test-fixtures/models', import.meta.url));
