// config.toml validation: every error names the file, the key and what is wrong.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, parseConfig, profileForConfigDir, watchedProfiles } from '../lib/profiles/config';

const FILE = '/home/me/.ccx/config.toml';

function error(text: string): string {
  try {
    parseConfig(text, FILE);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

test('a valid registry, with defaults filled in and dirs made absolute', () => {
  const { profiles } = parseConfig(
    '[profiles.work]\nconfig_dir = "/a/work"\nplan_tier = "max5"\n[profiles.home]\nconfig_dir = "/a/home/"\n',
    FILE,
  );
  assert.deepEqual(
    profiles.map((p) => [p.name, p.config_dir, p.plan_tier, p.weekly_anchor, p.priority, p.enforce]),
    [
      ['work', '/a/work', 'max5', 'rolling', 0, false],
      ['home', '/a/home', 'pro', 'rolling', 0, false],
    ],
  );
});

test('errors name the file, the key and the problem', () => {
  assert.match(
    error('[profiles.work]\nconfig_dir = "/a"\nplan_tier = "gold"\n'),
    /^\/home\/me\/\.ccx\/config\.toml: profiles\.work\.plan_tier: /,
  );
  assert.match(error('[profiles.work]\nplan_tier = "pro"\n'), /: profiles\.work\.config_dir: /);
  assert.match(error('[profiles.work]\nconfig_dir = "/a"\ncaps_5h_turns = -3\n'), /: profiles\.work\.caps_5h_turns: /);
  assert.match(error('[profiles.work]\nconfig_dir = "/a"\nweekly_anchr = "monday"\n'), /: profiles\.work: .*weekly_anchr/);
  assert.match(error('[profiles."bad name"]\nconfig_dir = "/a"\n'), /: profiles\.bad name: profile names are/);
  assert.match(error('[settings]\nx = 1\n'), /: settings: unknown top-level key/);
  assert.match(error('[profiles.work\nconfig_dir = "/a"\n'), /^\/home\/me\/\.ccx\/config\.toml: line 1, column \d+: /);
});

test('two profiles may not share a config dir, however it is spelled', () => {
  assert.match(
    error('[profiles.a]\nconfig_dir = "/x/claude"\n[profiles.b]\nconfig_dir = "/x/other/../claude/"\n'),
    /: profiles\.b\.config_dir: \/x\/claude is already the config dir of profile "a"/,
  );
});

test('the default profile covers the default config dir unless a registered one does', () => {
  const env = { HOME: '/home/me' };
  const none = watchedProfiles({ profiles: [] }, env);
  assert.deepEqual(
    none.map((p) => [p.name, p.config_dir]),
    [['default', '/home/me/.claude']],
  );
  const reg = parseConfig('[profiles.main]\nconfig_dir = "/home/me/.claude"\n', FILE);
  assert.deepEqual(
    watchedProfiles(reg, env).map((p) => p.name),
    ['main'],
  );
  assert.equal(profileForConfigDir(reg.profiles, '/home/me/.claude/'), 'main');
  assert.equal(profileForConfigDir(reg.profiles, '/elsewhere'), 'default');
});

test('an unregistered default beside registered profiles is watched only with history', () => {
  const root = mkdtempSync(join(tmpdir(), 'ccx-default-'));
  try {
    const env = { HOME: root };
    const two = parseConfig(`[profiles.work]\nconfig_dir = "${root}/w"\n[profiles.home]\nconfig_dir = "${root}/h"\n`, FILE);
    const names = (events = false) => watchedProfiles(two, env, () => events).map((p) => p.name);
    assert.deepEqual(names(), ['work', 'home'], 'no ~/.claude');
    mkdirSync(join(root, '.claude', 'projects', '-p'), { recursive: true });
    assert.deepEqual(names(), ['work', 'home'], 'a dir with no transcript is no history');
    assert.deepEqual(names(true), ['work', 'home', 'default'], 'hook events recorded for default');
    writeFileSync(join(root, '.claude', 'projects', '-p', 's.jsonl'), '');
    assert.deepEqual(names(), ['work', 'home', 'default'], 'a transcript');
    assert.deepEqual(
      watchedProfiles({ profiles: [] }, { HOME: join(root, 'nobody') }).map((p) => p.name),
      ['default'],
      'nothing registered: default, used or not',
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
