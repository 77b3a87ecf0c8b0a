// `run:` scripts on this machine's bash: GitHub's shell semantics (-e, pipefail), timeouts that stop the
// whole process tree, truncated and masked output, and only the given environment and directory.
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretPatterns } from '../../src/execute/mask.ts';
import { runShell, type ShellOptions } from '../../src/execute/shell.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'maint-shell-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(extra: Partial<ShellOptions> = {}): ShellOptions {
  return {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs: 10_000,
    graceMs: 200,
    patterns: [],
    ...extra,
  };
}

/** Gone, or a zombie waiting for a reaper: either way it runs no more. */
/** Dead (or a zombie) within two seconds: a SIGKILL is delivered asynchronously on a loaded machine. */
async function isGone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return true;
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function pidFrom(file: string): Promise<number> {
  return Number((await readFile(join(dir, file), 'utf8')).trim());
}

describe('exit codes and shell semantics', () => {
  it.each([
    ['a passing script', 'echo hello', 0, 'hello\n'],
    ['exit 1', 'echo before; exit 1', 1, 'before\n'],
    ['set -e: a failing command in the middle', 'echo one; false; echo never', 1, 'one\n'],
    ['pipefail: a failing command before a pipe', 'false | cat; echo never', 1, ''],
    ['an exit code passed through', 'exit 7', 7, ''],
    ['stdout and stderr together', 'echo out; echo err >&2', 0, /out\n[\s\S]*err\n|err\n[\s\S]*out\n/],
  ])('%s', async (_name, script, exitCode, output) => {
    const result = await runShell(script, options());
    expect(result).toMatchObject({ exitCode, timedOut: false });
    if (typeof output === 'string') expect(result.output).toBe(output);
    else expect(result.output).toMatch(output);
  });

  it('says why it could not start (a missing working directory)', async () => {
    const result = await runShell('true', options({ cwd: join(dir, 'missing') }));
    expect(result.exitCode).toBeNull();
    expect(result.startError).toMatch(/ENOENT/);
  });
});

describe('timeouts stop the whole tree', () => {
  it('kills a `sleep 30` and the child it started, soon after the timeout', async () => {
    const started = Date.now();
    const result = await runShell('sleep 30 & echo $! > child.pid; sleep 30', options({ timeoutMs: 300 }));
    expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await isGone(await pidFrom('child.pid'))).toBe(true);
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const script = "trap '' TERM; sleep 30 & echo $! > child.pid; wait";
    const started = Date.now();
    const result = await runShell(script, options({ timeoutMs: 300, graceMs: 300 }));
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await isGone(await pidFrom('child.pid'))).toBe(true);
  });

  it('leaves nothing running after a script that exits, even a child holding its output open', async () => {
    const started = Date.now();
    const result = await runShell('sleep 30 & echo $! > child.pid; echo done', options());
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, output: 'done\n' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await isGone(await pidFrom('child.pid'))).toBe(true);
  });
  it('does not wait long for a process that left the group and holds the output open', async () => {
    // setsid puts it beyond the group's signals: a known limit; the step still ends within the grace.
    const started = Date.now();
    const result = await runShell('setsid sleep 30 & echo $! > child.pid; echo done', options());
    try {
      expect(result).toMatchObject({ exitCode: 0, output: 'done\n' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      process.kill(await pidFrom('child.pid'), 'SIGKILL');
    }
  });
});

describe('output', () => {
  it('cuts long output in the middle and says how many bytes were left out', async () => {
    // 100,000 a's, a newline, END and a newline: 100,005 bytes, of which 2 x 8 KiB are kept.
    const result = await runShell("head -c 100000 /dev/zero | tr '\\0' a; echo; echo END", options());
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('\n[... 83,621 bytes of output left out ...]\n');
    expect(result.output.startsWith('a'.repeat(8192))).toBe(true);
    expect(result.output.endsWith(`${'a'.repeat(8187)}\nEND\n`)).toBe(true);
    expect(result.output.length).toBeLessThan(17_000);
  });

  it('masks a secret the script prints, as written and base64-encoded', async () => {
    const secret = 'hunter2-s3cret-value';
    const script = [
      'echo "plain: $TOKEN"',
      'printf %s "$TOKEN" | base64',
      'printf "x%s" "$TOKEN" | base64',
      'echo "$TOKEN" | base64',
    ].join('\n');
    const result = await runShell(
      script,
      options({ env: { PATH: process.env.PATH ?? '', TOKEN: secret }, patterns: secretPatterns([secret]) }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.output).not.toContain(secret);
    expect(result.output).not.toContain(Buffer.from(secret).toString('base64').slice(0, 20));
    expect(result.output).not.toContain(Buffer.from(`x${secret}`).toString('base64').slice(4, 24));
    expect(result.output.match(/\*\*\*/g)?.length).toBeGreaterThanOrEqual(4);
  });
});

describe('environment and directory', () => {
  it('gives the script only the environment it is given', async () => {
    process.env.MAINT_TEST_PARENT_ONLY = 'leaked';
    try {
      const result = await runShell('env', options({ env: { PATH: process.env.PATH ?? '', FOO: 'bar' } }));
      const names = result.output
        .trim()
        .split('\n')
        .map((line) => line.split('=')[0]);
      // PWD, SHLVL and _ are bash's own.
      expect(new Set(names)).toEqual(new Set(['PATH', 'FOO', 'PWD', 'SHLVL', '_']));
      expect(result.output).toContain('FOO=bar\n');
    } finally {
      delete process.env.MAINT_TEST_PARENT_ONLY;
    }
  });

  it('runs without PATH in the given environment (bash is found on the runner)', async () => {
    const result = await runShell('echo "[$FOO]"', options({ env: { FOO: 'x' } }));
    expect(result).toMatchObject({ exitCode: 0, output: '[x]\n' });
  });

  it('runs in the given working directory', async () => {
    const result = await runShell('pwd; touch made-here', options());
    expect(result.output).toBe(`${await realpath(dir)}\n`);
    await expect(readFile(join(dir, 'made-here'))).resolves.toBeDefined();
  });
});
