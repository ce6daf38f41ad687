import { projectTestConfig } from '../vitest.shared.ts';

// Black-box tests of the images: they stage real image folders (from the bundles this project's test target
// depends on and the fixture models), start them, and compare their answers with recorded ones. Staging runs a
// real `npm install` per image: seconds alone, minutes on a loaded shared machine, hence the long hooks.
export default projectTestConfig({ hookTimeout: 300_000 });
