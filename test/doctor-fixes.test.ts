// Every fix `ccx doctor` prints works as printed: each is run with `sh -c`, as a user would paste
// it, in the sandbox it was printed for (`ccx` on PATH is this build; `claude` is a stand-in that
// creates its config dir as Claude Code does). Afterwards doctor reports no failure.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Sandbox, sandbox } from './helpers/ccx';
import { CLI, ccx, runProcess } from './helpers/cli';

type Check = { name: string; status: 'ok' | 'warn' | 'fail'; message: string; fix: string | null };

function withCommands(sb: Sandbox): NodeJS.ProcessEnv {
  const bin = join(sb.root, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'ccx'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  writeFileSync(join(bin, 'claude'), '#!/bin/sh\nmkdir -p "$CLAUDE_CONFIG_DIR"\n');
  chmodSync(join(bin, 'ccx'), 0o755);
  chmodSync(join(bin, 'claude'), 0o755);
  return { ...sb.env, PATH: `${bin}:${sb.env.PATH}` };
}

async function doctor(sb: Sandbox): Promise<Check[]> {
  const r = await ccx(sb, ['doctor', '--json']);
  return JSON.parse(r.stdout).checks as Check[];
}

/** The command a fix asks for: what follows its last ": " (or the whole fix). */
const commandOf = (fix: string) => (fix.includes(': ') ? fix.slice(fix.lastIndexOf(': ') + 2) : fix);

async function runEveryFix(sb: Sandbox): Promise<string[]> {
  const env = withCommands(sb);
  const fixes = (await doctor(sb)).filter((c) => c.fix !== null);
  assert.ok(fixes.length > 0);
  const ran: string[] = [];
  for (const c of fixes) {
    const command = commandOf(c.fix!);
    // In the sandbox: a relative path in a fix must not land in the checkout.
    const r = await runProcess('sh', ['-c', `cd '${sb.root}' && ${command}`], env);
    assert.equal(r.code, 0, `${c.name}: fix "${c.fix}" failed: ${r.stderr}`);
    ran.push(command);
  }
  return ran;
}

test('a fresh HOME: nothing registered, no default config dir, no CCX_HOME', async () => {
  const sb = sandbox();
  try {
    const ran = await runEveryFix(sb);
    assert.ok(
      ran.some((c) => c === 'ccx hooks install --profile default'),
      ran.join('\n'),
    );
    assert.ok(!ran.some((c) => c.includes('ccx profile set default')), 'default is not registered: profile set would fail');
    const after = await doctor(sb);
    assert.deepEqual(
      after.filter((c) => c.status === 'fail').map((c) => c.name),
      [],
    );
  } finally {
    sb.cleanup();
  }
});

test('registered profiles, one with a missing config dir, one whose dir is a file', async () => {
  const sb = sandbox();
  try {
    const missing = join(sb.root, 'claude-new');
    const file = join(sb.root, 'claude-file');
    assert.equal((await ccx(sb, ['profile', 'add', 'fresh', '--config-dir', missing, '--create', '--no-hooks'])).code, 0);
    assert.equal((await ccx(sb, ['profile', 'add', 'odd', '--config-dir', file, '--create', '--no-hooks'])).code, 0);
    // After add, which wants an existing directory: one goes missing, the other becomes a file.
    rmSync(missing, { recursive: true });
    rmSync(file, { recursive: true });
    writeFileSync(file, '');
    await runEveryFix(sb);
    // Fixing one thing can reveal the next (the dir moved aside is now missing): a second round.
    await runEveryFix(sb);
    const after = await doctor(sb);
    assert.deepEqual(
      after.filter((c) => c.status === 'fail').map((c) => c.name),
      [],
    );
  } finally {
    sb.cleanup();
  }
});
