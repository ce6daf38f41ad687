import { projectTestConfig } from '../../vitest.shared.ts';

export default projectTestConfig({ globalSetup: ['test/install-chromium.ts'] });
