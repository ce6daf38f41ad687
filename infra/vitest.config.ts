import { projectTestConfig } from '../vitest.shared.ts';

// The test files share no state, and re-importing cdktf and the AWS provider per file is most of the run.
export default projectTestConfig({ isolate: false });
