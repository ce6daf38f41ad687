// A temporary copy of this workspace for tests that run the real `nx` CLI: every file git knows of (committed or
// not, ignored ones left out) but the services other than examples, node_modules symlinked, and an environment without the outer Nx run's variables.
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface WorkspaceCopy {
  root: string;
  /** Runs `npx nx <args>` in the copy; returns its exit status and output. */
  nx(...args: string[]): { status: number | null; stdout: string; stderr: string };
  git(...args: string[]): string;
  remove(): Promise<void>;
}

/** This process's environment without NX_* and npm_* variables (an outer `nx run` would point nx at this workspace). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !/^(nx_|npm_)/i.test(name));
  return { ...Object.fromEntries(kept), NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...extra };
}

export async function copyWorkspace(): Promise<WorkspaceCopy> {
  const root = await mkdtemp(join(tmpdir(), 'workspace-copy-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: workspaceRoot, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean)
    // One service, whatever else services/ holds, so that these tests do not change as teams add theirs.
    .filter((file) => !file.startsWith('services/') || file.startsWith('services/examples/'));
  await Promise.all(
    files.map(async (file) => {
      await mkdir(dirname(join(root, file)), { recursive: true });
      await cp(join(workspaceRoot, file), join(root, file)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error; // deleted in the working tree, not yet committed
      });
    }),
  );
  await symlink(join(workspaceRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  const env = cleanEnv();
  return {
    root,
    nx: (...args) => {
      const run = spawnSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), ...args], { cwd: root, env, encoding: 'utf8' });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    },
    git: (...args) =>
      execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: root, encoding: 'utf8' }),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
