import { projectTestConfig } from '../../vitest.shared.ts';

// build/*.test.ts: the image build scripts' tests, beside them (they stage real image folders from test fixtures).
export default projectTestConfig({
  include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'build/**/*.test.ts'],
  globalSetup: ['test/install-chromium.ts'],
});
