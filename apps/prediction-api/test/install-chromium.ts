// vitest globalSetup: the browser tests need Debian's Chromium. `npm test` must pass on its own on a fresh machine,
// so when the browser is missing and this process may install Debian packages (root, apt-get present), it installs
// it once before any test runs. Where it cannot, the browser tests fail with the command to run (see browser.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './browser';

function run(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

export default function installChromium(): void {
  if (existsSync(chromiumPath)) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(`${chromiumPath} is missing and cannot be installed from here (needs root and apt-get): the browser tests will fail`);
    return;
  }
  console.error(`${chromiumPath} is missing: installing Debian's chromium for the browser tests (apt-get, a minute or two)`);
  const installed = run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium']);
  if (!installed || !existsSync(chromiumPath)) console.error('installing chromium failed: the browser tests will fail');
}
