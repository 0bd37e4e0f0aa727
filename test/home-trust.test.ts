// A CCX_HOME another user can write to is refused by every entry point, and nothing ccx writes
// there follows a symlink: the attack was another user pre-creating the home with
// inbox.jsonl → the victim's ~/.bashrc and consolidator.pid → a victim file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ccxPaths } from '../lib/paths';
import { DIST, hookScript, payload, runHook, runNode, type Sandbox, sandboxPool, stopHomeProcesses, waitFor } from './helpers/ccx';
import { ccx, runProcess } from './helpers/cli';

const newSandbox = sandboxPool();
const isRoot = process.geteuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const ATTACKER = 4322;
const VICTIM = 4321;
const SESSION = '0b0e6a44-6d3c-4c1e-9d0a-3d6f2d0d7a11';
const BASHRC = 'export PATH=$HOME/bin:$PATH\n';

/** The attacker's home: theirs, 0777, with the victim's files linked in as inbox and pid file. */
function plantForeignHome(sb: Sandbox, owner: number): { bashrc: string; precious: string } {
  const victimDir = join(sb.root, 'victim');
  mkdirSync(victimDir, { recursive: true });
  const bashrc = join(victimDir, '.bashrc');
  const precious = join(victimDir, 'precious.txt');
  writeFileSync(bashrc, BASHRC);
  writeFileSync(precious, 'keep me\n');
  mkdirSync(sb.home);
  const p = ccxPaths(sb.home);
  symlinkSync(bashrc, p.inbox);
  symlinkSync(precious, p.pidFile);
  chmodSync(sb.home, 0o777);
  chownSync(sb.home, owner, owner);
  return { bashrc, precious };
}

describe('a foreign CCX_HOME', { skip: !isRoot && 'needs root to create a home owned by another uid' }, () => {
  test('every entry point refuses it; the victim files are untouched', async () => {
    const sb = newSandbox();
    const { bashrc, precious } = plantForeignHome(sb, ATTACKER);

    const hook = await runHook('Stop', payload('Stop', SESSION, sb), sb);
    assert.equal(hook.code, 0);
    assert.equal(hook.stdout, '');
    assert.equal(readFileSync(bashrc, 'utf8'), BASHRC, 'nothing appended to .bashrc');
    assert.deepEqual(readdirSync(sb.home).sort(), ['consolidator.pid', 'inbox.jsonl'], 'the hook created nothing, not even a log');

    const once = await runNode(join(DIST, 'consolidator.js'), ['--once'], { env: sb.env });
    assert.equal(once.code, 1);
    assert.match(once.stderr, new RegExp(`refusing to use ${sb.home}: it is owned by uid ${ATTACKER}, not by you \\(uid 0\\)`));
    assert.match(once.stderr, new RegExp(`Fix: run ccx as its owner \\(uid ${ATTACKER}\\)`));

    const report = await runNode(join(DIST, 'ccx-report.js'), ['daily'], { env: sb.env });
    assert.equal(report.code, 1);
    assert.match(report.stderr, /^ccx-report: refusing to use .* owned by uid 4322/);
    assert.equal(report.stdout, '');

    const list = await ccx(sb, ['profile', 'list']);
    assert.equal(list.code, 1);
    assert.match(list.stderr, /^ccx: refusing to use .*Fix: /);

    const doctor = await ccx(sb, ['doctor']);
    assert.equal(doctor.code, 1);
    assert.match(doctor.stdout + doctor.stderr, /ccx home.*refusing to use .* owned by uid 4322/);

    const line = await runNode(join(DIST, 'ccx.js'), ['statusline'], { env: sb.env, input: JSON.stringify({ session_id: SESSION }) });
    assert.equal(line.code, 0);
    assert.equal(line.stdout, 'ccx ⚠ unsafe CCX_HOME: run ccx doctor\n');

    assert.equal(readFileSync(bashrc, 'utf8'), BASHRC);
    assert.equal(readFileSync(precious, 'utf8'), 'keep me\n', 'the pid file was not truncated through');
  });
});

describe('a home of our own that others can write to, or with links inside', () => {
  test('0777 is refused until chmod 700; then the same hook records', async () => {
    const sb = newSandbox();
    mkdirSync(sb.home);
    chmodSync(sb.home, 0o777);
    await runHook('Stop', payload('Stop', SESSION, sb), sb);
    assert.equal(existsSync(join(sb.home, 'inbox.jsonl')), false);
    const doctor = await ccx(sb, ['doctor']);
    assert.match(doctor.stdout + doctor.stderr, /writable by group and others \(mode 0777\).*chmod 700/s);

    chmodSync(sb.home, 0o700);
    const ok = await runHook('Stop', payload('Stop', SESSION, sb), sb);
    assert.equal(ok.code, 0);
    assert.match(readFileSync(join(sb.home, 'inbox.jsonl'), 'utf8'), new RegExp(SESSION));
  });

  test('a symlink planted as inbox.jsonl or a log is never written through', async () => {
    const sb = newSandbox();
    const target = join(sb.root, 'elsewhere.txt');
    writeFileSync(target, 'x\n');
    mkdirSync(join(sb.home, 'logs'), { recursive: true, mode: 0o700 });
    symlinkSync(target, join(sb.home, 'inbox.jsonl'));
    symlinkSync(target, join(sb.home, 'logs', 'hooks.log'));
    const r = await runHook('Stop', payload('Stop', SESSION, sb), sb);
    assert.equal(r.code, 0);
    assert.equal(readFileSync(target, 'utf8'), 'x\n');
    const doctor = await ccx(sb, ['doctor']);
    assert.match(doctor.stdout + doctor.stderr, /inbox\.jsonl: it is a symlink/);
  });

  test('a group-writable parent without the sticky bit is refused; /tmp-like sticky ones are fine', async () => {
    const sb = newSandbox();
    const parent = join(sb.root, 'shared');
    mkdirSync(parent);
    chmodSync(parent, 0o777);
    const env = { ...sb.env, CCX_HOME: join(parent, 'ccx') };
    const refused = await ccx(sb, ['profile', 'list'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /shared: it is writable by group and others without the sticky bit/);
    chmodSync(parent, 0o1777);
    const fine = await ccx(sb, ['profile', 'list'], env);
    assert.equal(fine.code, 0, fine.stderr);
  });
});

test('the consolidator lock directory is 0700 whatever the umask', async () => {
  const sb = newSandbox();
  const input = join(sb.root, 'stop.json');
  writeFileSync(input, JSON.stringify(payload('Stop', SESSION, sb)));
  const hook = `umask 0; exec "${process.execPath}" "${hookScript('Stop')}" < "${input}"`;
  const r = await runProcess('sh', ['-c', hook], sb.env);
  assert.equal(r.code, 0);
  const lock = join(sb.home, 'consolidator.lock');
  // The pid file is written once the lock is taken and made private.
  assert.ok(await waitFor(() => existsSync(join(sb.home, 'consolidator.pid')), 15_000), 'the hook started a consolidator');
  assert.equal(statSync(lock).mode & 0o777, 0o700);
});

describe('as two unprivileged users', { skip: !(isRoot && hasSetpriv) && 'needs root and setpriv' }, () => {
  test("the victim's hook ignores the attacker's home and still works in its own", async () => {
    const sb = newSandbox();
    chmodSync(sb.root, 0o755);
    const { bashrc } = plantForeignHome(sb, ATTACKER);
    chownSync(join(sb.root, 'victim'), VICTIM, VICTIM);
    chownSync(bashrc, VICTIM, VICTIM);
    const asVictim = (home: string) =>
      spawnSync('setpriv', [`--reuid=${VICTIM}`, `--regid=${VICTIM}`, '--clear-groups', process.execPath, hookScript('Stop')], {
        env: { ...sb.env, CCX_HOME: home, HOME: join(sb.root, 'victim') },
        input: JSON.stringify(payload('Stop', SESSION, sb)),
        encoding: 'utf8',
      });
    const attacked = asVictim(sb.home);
    assert.equal(attacked.status, 0);
    assert.equal(readFileSync(bashrc, 'utf8'), BASHRC);

    const own = join(sb.root, 'victim', '.ccx');
    const fine = asVictim(own);
    assert.equal(fine.status, 0);
    assert.match(readFileSync(join(own, 'inbox.jsonl'), 'utf8'), new RegExp(SESSION));
    assert.equal(statSync(own).uid, VICTIM);
    // The consolidator that hook started writes in the victim's home, which the pool does not stop.
    await waitFor(() => existsSync(join(own, 'consolidator.pid')), 15_000);
    stopHomeProcesses(own);
  });
});
