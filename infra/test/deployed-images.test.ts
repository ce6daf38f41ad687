// What a deploy runs when it is given no digest: the image deployed now, as the registry's deploy tags record
// it, never the newest image pushed; and how a given image is recorded before the apply.
import { describe, expect, it } from 'vitest';
import { deployedTag, deployHistory } from '../src/aws/deployed-images';
import { chooseImages, digestEnv, missingImageProblems, recordGivenImages } from '../src/image-selection';
import { selectStacks, serviceDeployments } from '../src/selection';
import { planStacks } from '../src/app';
import { fakeEcr, image, manifestOf, type FakeRegistry } from './fake-ecr';
import { FRAUD, LONGEST, loadConfig } from './synthesized';

const digest = (char: string) => `sha256:${char.repeat(64)}`;
const [A, B, C] = [digest('a'), digest('b'), digest('c')];
const config = loadConfig('dev');

/** The stacks of one service as service-infra.ts plans them, with the digests its caller gave. */
const stacksOf = (service: typeof FRAUD, given: Record<string, string> = {}) =>
  selectStacks(
    planStacks(config, serviceDeployments([service], 'dev', { kind: 'service', service: service.name }, given).deployments),
    { kind: 'service', service: service.name },
  );

/** A deployed at t1, B deployed at t2, then rolled back to A at t3; C pushed last and never deployed. */
const afterRollback = (): FakeRegistry => ({
  'onnx-serve-dev-fraud-lambda': [
    image(A, 'v1', 'deployed-20261201T100000.000Z', 'deployed-20261201T120000.000Z'),
    image(B, 'v2', 'deployed-20261201T110000.000Z'),
    image(C, 'v3'),
  ],
});

describe('the deploy record', () => {
  it('names a deploy by its UTC time, so the tags sort as the deploys happened, and only with characters ECR allows', () => {
    const tag = deployedTag(new Date('2026-12-02T01:22:33.123Z'));
    expect(tag).toBe('deployed-20261202T012233.123Z');
    expect(tag).toMatch(/^[a-zA-Z0-9._-]{1,128}$/);
    expect(deployedTag(new Date('2026-12-02T01:22:33.124Z')) > tag).toBe(true);
  });

  it('lists the deploys newest first, whatever the push order, ignoring other tags', () => {
    const images = afterRollback()['onnx-serve-dev-fraud-lambda']!.map((i) => ({ imageDigest: i.digest, imageTags: i.tags }));
    expect(deployHistory(images)).toEqual([
      { digest: A, tag: 'deployed-20261201T120000.000Z' },
      { digest: B, tag: 'deployed-20261201T110000.000Z' },
      { digest: A, tag: 'deployed-20261201T100000.000Z' },
    ]);
    expect(deployHistory([{ imageDigest: C, imageTags: ['v3'] }, { imageDigest: B }])).toEqual([]);
  });
});

describe('chooseImages', () => {
  it('runs the image deployed now (the rollback’s), not the newest pushed nor the newest deployed by push time', () => {
    const aws = fakeEcr(afterRollback());
    const [chosen, ...others] = chooseImages(config, stacksOf(FRAUD), aws);
    expect(others).toEqual([]);
    expect(chosen).toEqual({
      stack: 'fraud-lambda-api',
      service: 'fraud',
      target: 'lambda',
      repository: { region: 'us-east-1', name: 'onnx-serve-dev-fraud-lambda' },
      digest: A,
      source: 'deployed now, deployed-20261201T120000.000Z',
      given: false,
    });
    expect(digestEnv([chosen!])).toEqual({ LAMBDA_IMAGE_DIGEST: A });
  });

  it('runs a given digest without reading the registry', () => {
    const aws = fakeEcr(afterRollback());
    const chosen = chooseImages(config, stacksOf(FRAUD, { LAMBDA_IMAGE_DIGEST: C }), aws);
    expect(chosen).toEqual([expect.objectContaining({ digest: C, source: 'LAMBDA_IMAGE_DIGEST', given: true })]);
    expect(aws.calls).toEqual([]);
  });

  it('refuses a target given no digest whose repository has no deploy record', () => {
    const aws = fakeEcr({ 'onnx-serve-dev-fraud-scoring-v2-lambda': [image(C, 'v3')], 'onnx-serve-dev-fraud-scoring-v2-server': [image(B, 'v3', 'deployed-20261201T110000.000Z')] });
    const chosen = chooseImages(config, stacksOf(LONGEST), aws);
    expect(chosen.map((i) => [i.target, i.digest])).toEqual([
      ['lambda', undefined],
      ['server', B],
    ]);
    expect(missingImageProblems(chosen)).toEqual([
      'fraud-scoring-v2-lambda-api: no image given and none deployed yet (no deployed-* tag in onnx-serve-dev-fraud-scoring-v2-lambda): ' +
        'push the fraud-scoring-v2 lambda image and set LAMBDA_IMAGE_DIGEST',
    ]);
    expect(digestEnv(chosen)).toEqual({ SERVER_IMAGE_DIGEST: B });
  });
});

describe('recordGivenImages', () => {
  const at = new Date('2026-12-02T01:22:33.123Z');

  it('tags a given image as deployed with its own manifest, so the next deploy given nothing runs it', () => {
    const registry = afterRollback();
    const aws = fakeEcr(registry);
    const images = chooseImages(config, stacksOf(FRAUD, { LAMBDA_IMAGE_DIGEST: C }), aws);
    expect(recordGivenImages(aws, images, at)).toEqual(['onnx-serve-dev-fraud-lambda: deployed-20261202T012233.123Z']);
    expect(aws.calls.at(-1)).toEqual([
      'ecr', 'put-image', '--region', 'us-east-1', '--repository-name', 'onnx-serve-dev-fraud-lambda',
      '--image-tag', 'deployed-20261202T012233.123Z', '--image-digest', C, '--image-manifest', manifestOf(C),
      '--image-manifest-media-type', 'application/vnd.oci.image.manifest.v1+json',
    ]);
    expect(chooseImages(config, stacksOf(FRAUD), aws)[0]!.digest).toBe(C);
  });

  it('records nothing for an image it did not pick itself (an infra-only deploy adds no tag)', () => {
    const aws = fakeEcr(afterRollback());
    const images = chooseImages(config, stacksOf(FRAUD), aws);
    expect(recordGivenImages(aws, images, at)).toEqual([]);
    expect(aws.calls.map((call) => call[1])).toEqual(['describe-images']);
  });

  it('refuses a given digest the repository does not hold, before anything is applied', () => {
    const aws = fakeEcr(afterRollback());
    const images = chooseImages(config, stacksOf(FRAUD, { LAMBDA_IMAGE_DIGEST: digest('d') }), aws);
    expect(() => recordGivenImages(aws, images, at)).toThrow(`no image ${digest('d')} in onnx-serve-dev-fraud-lambda: push it first`);
  });
});
