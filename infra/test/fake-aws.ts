// The `aws` command the service-infra tests put first on PATH: fake-ecr.ts over the registry in the JSON
// file FAKE_ECR_STATE, which it writes back (put-image adds tags), printing what the CLI would print.
import { readFileSync, writeFileSync } from 'node:fs';
import { fakeEcr, type FakeRegistry } from './fake-ecr';

const state = process.env['FAKE_ECR_STATE'] ?? '';
const registry = JSON.parse(readFileSync(state, 'utf8')) as FakeRegistry;
const args = process.argv.slice(2).filter((arg, index, all) => arg !== '--output' && all[index - 1] !== '--output');
try {
  process.stdout.write(JSON.stringify(fakeEcr(registry)(args)));
  writeFileSync(state, JSON.stringify(registry));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 254;
}
