// The files for the tutorials' other hosts (deploy/heroku, deploy/elastic-beanstalk, deploy/ec2), without Docker or
// an AWS or Heroku account: each parses, names the server image's port (the Dockerfile's EXPOSE and PORT, the
// app's default) and /ready, and the two shell scripts run here against stand-ins for docker, aws, heroku, curl
// (IMDSv2), dnf and systemctl that record every call, so the exact commands they would run are asserted.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { workspaceRoot } from '../build/image-targets';

const deployFile = (path: string) => readFile(join(workspaceRoot, 'deploy', path), 'utf8');

/** The server's defaults as the README's "Operating the server" records them: what the image runs with unless a host sets them. */
const serverDefaults = { port: 8080, shutdownTimeoutMs: 10_000 };

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The server Dockerfile's listening port: its ENV PORT and its EXPOSE, which must agree. */
async function dockerfilePort(): Promise<number> {
  const dockerfile = await deployFile('server/Dockerfile');
  const envPort = /^\s+PORT=(\d+)/m.exec(dockerfile)?.[1];
  const exposed = /^EXPOSE (\d+)$/m.exec(dockerfile)?.[1];
  expect(envPort).toBe(exposed);
  return Number(exposed);
}

// Stand-ins for the commands the scripts call: each appends its name and arguments (tab-separated) to $CALLS and
// prints what the real one would for these scripts.
const stubs: Record<string, string> = {
  docker: `case "$1" in
  login) printf 'password-stdin\t%s\n' "$(cat)" >>"$CALLS" ;;
  image) [ -n "\${IMAGE_PLATFORM:-}" ] || exit 1; echo "$IMAGE_PLATFORM" ;;
  run) echo "API_KEYS=\${API_KEYS:-<unset>}" >>"$CALLS" ;;
esac`,
  aws: `case "$1 $2" in
  "ecr get-login-password") echo ecr-password ;;
  "ssm get-parameter") echo 'sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' ;;
esac`,
  curl: `case "$*" in
  *api/token*) echo imds-token ;;
  *placement/region*) echo eu-west-1 ;;
  *instance-identity/document*) printf '{\\n  "accountId" : "123456789012",\\n  "region" : "eu-west-1"\\n}\\n' ;;
  *) exit 22 ;;
esac`,
  heroku: '',
  dnf: '',
  systemctl: '',
};

interface ScriptRun {
  status: number | null;
  stderr: string;
  /** Every stubbed command the script ran, in order, as [name, ...args]. */
  calls: string[][];
}

async function runWithStubs(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<ScriptRun> {
  const dir = await mkdtemp(join(tmpdir(), 'other-hosts-'));
  temps.push(dir);
  const bin = join(dir, 'bin');
  await writeFile(join(dir, 'script.sh'), script);
  await mkdir(bin);
  for (const [name, body] of Object.entries(stubs)) {
    const file = join(bin, name);
    // One write per line: the two sides of a pipe run at once, and separate writes of theirs would interleave.
    await writeFile(file, `#!/bin/bash\nline="${name}$(printf '\\t%s' "$@")"\nprintf '%s\\n' "$line" >>"$CALLS"\n${body}\n`);
    await chmod(file, 0o755);
  }
  const calls = join(dir, 'calls');
  await writeFile(calls, '');
  const run = spawnSync('bash', [join(dir, 'script.sh'), ...args], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, CALLS: calls, ...env },
  });
  const recorded = (await readFile(calls, 'utf8')).split('\n').filter(Boolean);
  return { status: run.status, stderr: run.stderr, calls: recorded.map((line) => line.split('\t')) };
}

describe('the port and the health path the hosts are given', () => {
  it("is the image's: the Dockerfile's ENV PORT and EXPOSE, the server's default, and its health check's fallback", async () => {
    expect(await dockerfilePort()).toBe(serverDefaults.port);
    const healthCheck = /^HEALTHCHECK .*\n\s+CMD (.*)$/m.exec(await deployFile('server/Dockerfile'))?.[1];
    expect(healthCheck).toContain(`'http://127.0.0.1:' + (process.env.PORT || ${serverDefaults.port}) + '/ready'`);
  });
});

describe('Elastic Beanstalk: Dockerrun.aws.json v1 and .ebextensions', () => {
  it('runs the server image from ECR by digest and forwards to its port', async () => {
    const dockerrun = JSON.parse(await deployFile('elastic-beanstalk/Dockerrun.aws.json')) as {
      Image: { Name: string };
      Ports: { ContainerPort: string }[];
    };
    expect(dockerrun).toEqual({
      AWSEBDockerrunVersion: '1',
      Image: { Name: '${SERVER_REPOSITORY_URL}@${SERVER_IMAGE_DIGEST}', Update: 'true' },
      Ports: [{ ContainerPort: String(await dockerfilePort()) }],
    });
    // The README fills the placeholders with `sed` from infra/scripts/image-env.sh's variables of the same names.
    const filled = dockerrun.Image.Name.replace('${SERVER_REPOSITORY_URL}', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/onnx-serve-dev-examples-server')
      .replace('${SERVER_IMAGE_DIGEST}', `sha256:${'a'.repeat(64)}`);
    expect(filled).toMatch(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/onnx-serve-[a-z0-9-]+-server@sha256:[0-9a-f]{64}$/);
  });

  it('points the load balancer health check and enhanced health at /ready, and drains within docker stop', async () => {
    const config = YAML.parse(await deployFile('elastic-beanstalk/.ebextensions/onnx-serve.config')) as unknown;
    expect(config).toEqual({
      option_settings: {
        'aws:elasticbeanstalk:environment:process:default': {
          HealthCheckPath: '/ready',
          MatcherHTTPCode: '200',
          HealthCheckInterval: '15',
          HealthCheckTimeout: '5',
          HealthyThresholdCount: '2',
          UnhealthyThresholdCount: '3',
          DeregistrationDelay: '20',
        },
        'aws:elasticbeanstalk:application': { 'Application Healthcheck URL': '/ready' },
        'aws:elasticbeanstalk:healthreporting:system': { SystemType: 'enhanced' },
        'aws:elasticbeanstalk:application:environment': { SHUTDOWN_TIMEOUT_MS: '8000' },
      },
    });
    // docker stop's default 10 s: the drain must end before it.
    const environment = (config as Record<string, Record<string, Record<string, string>>>)['option_settings']!['aws:elasticbeanstalk:application:environment']!;
    expect(Number(environment['SHUTDOWN_TIMEOUT_MS'])).toBeLessThan(10_000);
  });
});

describe('Heroku: deploy/heroku/release.sh', () => {
  const usage = 'usage: deploy/heroku/release.sh <service> <heroku-app>';

  it('parses (bash -n)', () => {
    expect(spawnSync('bash', ['-n', join(workspaceRoot, 'deploy/heroku/release.sh')]).status).toBe(0);
  });

  it("tags the service's local server image as the app's web process, pushes it and releases it", async () => {
    const run = await runWithStubs(await deployFile('heroku/release.sh'), ['examples', 'my-app'], { IMAGE_PLATFORM: 'linux/amd64' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      ['docker', 'image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', 'onnx-serve-examples-server:local'],
      ['docker', 'tag', 'onnx-serve-examples-server:local', 'registry.heroku.com/my-app/web'],
      ['docker', 'push', 'registry.heroku.com/my-app/web'],
      ['heroku', 'container:release', 'web', '--app', 'my-app'],
    ]);
  });

  it('refuses an arm64 image, since Heroku runs linux/amd64 only, and pushes nothing', async () => {
    const run = await runWithStubs(await deployFile('heroku/release.sh'), ['examples', 'my-app'], { IMAGE_PLATFORM: 'linux/arm64' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'heroku release: onnx-serve-examples-server:local is linux/arm64; Heroku runs linux/amd64 only: ' +
        'rebuild with TARGET_ARCH=x64 npx nx run examples:image-server (it restages for x64)\n',
    );
    expect(run.calls.map(([, verb]) => verb)).toEqual(['image']);
  });

  it('says how to build the image when there is none, and what it takes without arguments', async () => {
    const missing = await runWithStubs(await deployFile('heroku/release.sh'), ['examples', 'my-app']);
    expect([missing.status, missing.stderr]).toEqual([
      1,
      'heroku release: no image onnx-serve-examples-server:local here: build it first with TARGET_ARCH=x64 npx nx run examples:image-server\n',
    ]);
    const bare = await runWithStubs(await deployFile('heroku/release.sh'));
    expect([bare.status, bare.stderr, bare.calls]).toEqual([1, `heroku release: ${usage}\n`, []]);
  });
});

describe('one EC2 instance: deploy/ec2/user-data.sh', () => {
  const digest = `sha256:${'b'.repeat(64)}`;
  async function filledIn(values: Record<string, string>): Promise<string> {
    let script = await deployFile('ec2/user-data.sh');
    for (const [name, value] of Object.entries(values)) {
      const line = new RegExp(`^${name}=.*$`, 'm');
      expect(script).toMatch(line);
      script = script.replace(line, `${name}=${value}`);
    }
    return script;
  }
  const image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/onnx-serve-dev-examples-server@${digest}`;

  it('parses (bash -n)', () => {
    expect(spawnSync('bash', ['-n', join(workspaceRoot, 'deploy/ec2/user-data.sh')]).status).toBe(0);
  });

  it('finds region and account through IMDSv2, logs in to ECR, pulls by digest and runs the image on the port', async () => {
    const script = await filledIn({ REPOSITORY: 'onnx-serve-dev-examples-server', IMAGE_REF: digest });
    const run = await runWithStubs(script);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const port = String(await dockerfilePort());
    // `aws ecr get-login-password | docker login`: the two sides of the pipe start together, in either order.
    const pipe = run.calls.splice(5, 2).sort();
    expect(pipe).toEqual([
      ['aws', 'ecr', 'get-login-password', '--region', 'eu-west-1'],
      ['docker', 'login', '--username', 'AWS', '--password-stdin', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
    ]);
    expect(run.calls).toEqual([
      ['curl', '-fsS', '-X', 'PUT', '-H', 'X-aws-ec2-metadata-token-ttl-seconds: 300', 'http://169.254.169.254/latest/api/token'],
      ['curl', '-fsS', '-H', 'X-aws-ec2-metadata-token: imds-token', 'http://169.254.169.254/latest/meta-data/placement/region'],
      ['curl', '-fsS', '-H', 'X-aws-ec2-metadata-token: imds-token', 'http://169.254.169.254/latest/dynamic/instance-identity/document'],
      ['dnf', 'install', '-y', 'docker'],
      ['systemctl', 'enable', '--now', 'docker'],
      ['password-stdin', 'ecr-password'],
      ['docker', 'pull', image],
      ['docker', 'rm', '--force', 'prediction-api'],
      ['docker', 'run', '--detach', '--name', 'prediction-api', '--restart', 'unless-stopped', '--publish', `80:${port}`,
        '--stop-timeout', '15', '--env', `PORT=${port}`, '--env', 'AWS_REGION=eu-west-1', image],
      ['API_KEYS=<unset>'],
    ]);
    // docker stop waits --stop-timeout seconds before SIGKILL: longer than the server's drain.
    expect(15 * 1000).toBeGreaterThan(serverDefaults.shutdownTimeoutMs);
  });

  it('reads the API keys from SSM into the environment (never a command line), takes a tag, and passes MODEL_S3_URI', async () => {
    const script = await filledIn({
      REPOSITORY: 'onnx-serve-dev-examples-server',
      IMAGE_REF: 'v42',
      API_KEYS_PARAMETER: '/onnx-serve/dev/examples/api-keys',
      MODEL_S3_URI: 's3://my-models/models/examples/',
      HOST_PORT: '8080',
    });
    const run = await runWithStubs(script);
    expect(run.status).toBe(0);
    const tagged = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/onnx-serve-dev-examples-server:v42';
    expect(run.calls.slice(-4)).toEqual([
      ['aws', 'ssm', 'get-parameter', '--region', 'eu-west-1', '--name', '/onnx-serve/dev/examples/api-keys', '--with-decryption',
        '--query', 'Parameter.Value', '--output', 'text'],
      ['docker', 'rm', '--force', 'prediction-api'],
      ['docker', 'run', '--detach', '--name', 'prediction-api', '--restart', 'unless-stopped', '--publish', '8080:8080',
        '--stop-timeout', '15', '--env', 'PORT=8080', '--env', 'AWS_REGION=eu-west-1', '--env', 'API_KEYS',
        '--env', 'MODEL_S3_URI=s3://my-models/models/examples/', tagged],
      ['API_KEYS=sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8'],
    ]);
    expect(run.calls).toContainEqual(['docker', 'pull', tagged]);
  });

  it('stops before touching anything while a placeholder is left', async () => {
    const run = await runWithStubs(await deployFile('ec2/user-data.sh'));
    expect([run.status, run.stderr, run.calls]).toEqual([
      1,
      'user-data: REPOSITORY is still the placeholder onnx-serve-dev-SERVICE-server: set it to the service\'s ECR repository\n',
      [],
    ]);
  });
});
