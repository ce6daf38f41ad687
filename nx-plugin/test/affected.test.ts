// `nx affected` on a temporary git repository of this workspace: commit a change, read
// `nx show projects --affected` for that commit alone.
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type WorkspaceCopy } from './workspace-copy';

let ws: WorkspaceCopy;

beforeAll(async () => {
  ws = await copyWorkspace();
  ws.git('init', '--quiet', '--initial-branch=main');
  ws.git('add', '-A');
  ws.git('commit', '--quiet', '-m', 'the workspace');
  // A second service, as the generator writes it, so "only a" is told apart from "every service".
  const generated = ws.nx('g', '@onnx-serve/plugin:service', 'fraud', '--owner=@acme/fraud', '--target=lambda');
  expect(generated.status, generated.stderr).toBe(0);
  ws.git('add', '-A');
  ws.git('commit', '--quiet', '-m', 'the fraud service');
}, 120_000);
afterAll(() => ws?.remove());

/** The projects affected by a commit that appends a line to each of `files`. */
async function affectedBy(...files: string[]): Promise<string[]> {
  for (const file of files) await appendFile(join(ws.root, file), '\n');
  ws.git('commit', '--quiet', '-am', `touch ${files.join(' ')}`);
  const shown = ws.nx('show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json');
  expect(shown.status, shown.stderr).toBe(0);
  return (JSON.parse(shown.stdout) as string[]).sort();
}

// Each case is one commit and one nx process: seconds, more on a loaded machine.
describe('nx affected', { timeout: 60_000 }, () => {
  it("a change under services/<a>/ affects only a", async () => {
    expect(await affectedBy('services/examples/models/iris/1/spec.json')).toEqual(['examples']);
    expect(await affectedBy('services/fraud/service.json')).toEqual(['fraud']);
  });

  it('a library change affects the projects that import it, the app, its images and every service', async () => {
    expect(await affectedBy('libs/feature-spec/src/index.ts')).toEqual(
      ['api-contract', 'deploy', 'examples', 'feature-spec', 'fraud', 'inference', 'model-source-s3', 'plugin', 'prediction-api', 'tools'],
    );
  });

  it("an app change affects the app, the images' project and every service", async () => {
    expect(await affectedBy('apps/prediction-api/src/app.ts')).toEqual(['deploy', 'examples', 'fraud', 'prediction-api']);
  });

  it('an infra change affects infra and the services, nothing else', async () => {
    expect(await affectedBy('infra/src/main.ts')).toEqual(['examples', 'fraud', 'infra']);
  });

  it("a Dockerfile change affects deploy and the services with that target only", async () => {
    expect(await affectedBy('deploy/server/Dockerfile')).toEqual(['deploy', 'examples']);
    expect(await affectedBy('deploy/lambda/Dockerfile')).toEqual(['deploy', 'examples', 'fraud']);
  });

  it('a build script change affects deploy and every service, an image test deploy only, and no library', async () => {
    expect(await affectedBy('deploy/build/stage-image.ts')).toEqual(['deploy', 'examples', 'fraud']);
    expect(await affectedBy('deploy/test/staged-server.test.ts')).toEqual(['deploy']);
  });

  it("a change to the test helpers affects the projects whose tests use them (and, through the app, the services)", async () => {
    expect(await affectedBy('libs/testing/src/golden.ts')).toEqual(['deploy', 'examples', 'fraud', 'prediction-api', 'testing']);
  });
});
