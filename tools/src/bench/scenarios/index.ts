// Every scenario group the benchmark runs, in this order within each round. To add one (JSON vs binary tensors,
// gRPC…): write scenarios/<group>.ts exporting a ScenarioGroup (see scenario.ts and servers.ts) and list it here.
import { batchingScenarios } from './batching';
import { mixedScenarios } from './mixed';
import { overloadScenarios } from './overload';
import type { ScenarioGroup } from './scenario';
import { serverScenarios } from './servers';

export const scenarioGroups: ScenarioGroup[] = [serverScenarios, overloadScenarios, mixedScenarios, batchingScenarios];
