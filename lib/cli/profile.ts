// `ccx profile add|list|set|rm`: the registry in config.toml, and the hooks that follow a profile.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Agent, PROFILE_NAME_RE } from '../contracts/profile';
import { printable, usdPlain } from '../format';
import {
  activeProfile,
  addProfile,
  coerceField,
  type FieldValues,
  fieldName,
  hasOtherAgents,
  optionName,
  PROFILE_FIELD_NAMES,
  purgeProfileRows,
  removeProfile,
  updateProfile,
} from '../profiles';
import { openDb } from '../store';
import { readSnapshot } from '../warnings';
import { flag, type Options, type Parsed, parse } from './args';
import type { CliContext } from './context';
import { CliError, UsageError } from './errors';
import { eachProfile, hasCcxEntries, installProfile, uninstallProfile } from './hooks';
import { loadConfig, watched } from './targets';

const FIELD_OPTIONS: Options = Object.fromEntries(PROFILE_FIELD_NAMES.map((f) => [optionName(f).slice(2), { type: 'string' }]));

export async function profileCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add':
      return add(rest, ctx);
    case 'list':
    case 'ls':
      return list(rest, ctx);
    case 'set':
      return set(rest, ctx);
    case 'rm':
    case 'remove':
      return rm(rest, ctx);
    default:
      throw new UsageError(sub === undefined ? 'missing a profile command: add, list, set or rm' : `unknown profile command "${sub}"`);
  }
}

function checkName(name: string): string {
  if (!PROFILE_NAME_RE.test(name)) {
    throw new UsageError(
      `invalid profile name ${JSON.stringify(name)}: use letters, digits, "-" and "_" (max 64), starting with a letter or digit`,
    );
  }
  return name;
}

/** The profile fields given as options, as config.toml values ('' removes an optional key). */
function fieldValues(p: Parsed): FieldValues {
  const values: FieldValues = {};
  for (const [opt, raw] of Object.entries(p.values)) {
    const field = fieldName(opt);
    if (field === null || typeof raw !== 'string') continue;
    values[field] = raw === '' && field !== 'config_dir' ? null : coerceField(field, raw, (d) => resolve(d));
  }
  return values;
}

/** What a profile's config dir is, and how its agent is started in it, in messages. */
const AGENT_HOME: Record<Agent, { dir: string; app: string; env: string }> = {
  claude: { dir: 'a Claude Code config directory', app: 'Claude Code', env: 'CLAUDE_CONFIG_DIR' },
  codex: { dir: 'a Codex home (CODEX_HOME)', app: 'Codex', env: 'CODEX_HOME' },
  opencode: { dir: 'an OpenCode data directory', app: 'OpenCode', env: 'XDG_DATA_HOME' },
};

function refuseNonDir(dir: string, agent: Agent): void {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new CliError(`${dir} is not a directory; give --config-dir ${AGENT_HOME[agent].dir}`);
}

/**
 * A config dir that does not exist is most often a typo, which would otherwise be created and
 * filled with hooks (inside the repo, if run there): refused unless --create says it is meant.
 */
function ensureDir(dir: string, create: boolean, agent: Agent): void {
  if (existsSync(dir)) return;
  if (!create) {
    const { app, env } = AGENT_HOME[agent];
    const fills = agent === 'opencode' ? app : `${app} fills it on first use with ${env}=${dir}`;
    throw new CliError(`${dir} does not exist; check the path, or add --create to make it (${fills})`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

function add(argv: string[], ctx: CliContext): number {
  const p = parse(
    argv,
    { ...FIELD_OPTIONS, 'no-hooks': { type: 'boolean' }, 'no-statusline': { type: 'boolean' }, create: { type: 'boolean' } },
    { min: 1, max: 1, names: 'the profile NAME' },
  );
  const name = checkName(p.positionals[0]!);
  const values = fieldValues(p);
  const agent = (values.agent ?? 'claude') as Agent;
  if (typeof values.config_dir !== 'string') throw new UsageError(`missing --config-dir DIR (${AGENT_HOME[agent].dir} of this profile)`);
  refuseNonDir(values.config_dir, agent);
  ensureDir(values.config_dir, flag(p, 'create'), agent);
  const profile = addProfile(ctx.paths.config, name, values);
  ctx.out(
    `added profile ${name} (${profile.agent === 'claude' ? `${profile.config_dir}, plan ${profile.plan_tier}` : `${AGENT_HOME[profile.agent].app} home ${profile.config_dir}`})\n`,
  );
  if (flag(p, 'no-hooks')) {
    ctx.out(`${name}: hooks not installed; install them with: ccx hooks install --profile ${name}\n`);
    return 0;
  }
  return eachProfile(ctx, [profile], (prof) => installProfile(ctx, prof, { statusLine: !flag(p, 'no-statusline') }));
}

function set(argv: string[], ctx: CliContext): number {
  const p = parse(argv, { ...FIELD_OPTIONS, create: { type: 'boolean' } }, { min: 1, max: 1, names: 'the profile NAME' });
  const name = checkName(p.positionals[0]!);
  const values = fieldValues(p);
  if (Object.keys(values).length === 0)
    throw new UsageError(`nothing to set: give at least one of ${PROFILE_FIELD_NAMES.map(optionName).join(' ')}`);
  if (typeof values.config_dir === 'string') {
    const agent = (values.agent ?? loadConfig(ctx).profiles.find((x) => x.name === name)?.agent ?? 'claude') as Agent;
    refuseNonDir(values.config_dir, agent);
    ensureDir(values.config_dir, flag(p, 'create'), agent);
  }
  const { profile, previous, changed } = updateProfile(ctx.paths.config, name, values);
  // Another dir or another agent: the hooks live in another file.
  const moved = previous.config_dir !== profile.config_dir || previous.agent !== profile.agent;
  ctx.out(changed ? `updated profile ${name}\n` : `profile ${name} already had those values\n`);
  // The hooks follow the profile to its new config dir.
  if (moved) {
    return Math.max(
      eachProfile(ctx, [previous], (prof) => uninstallProfile(ctx, prof)),
      eachProfile(ctx, [profile], (prof) => installProfile(ctx, prof, { statusLine: true })),
    );
  }
  // PreToolUse waits for ccx only with enforce (to deny): re-register it where ccx's hooks are.
  if (previous.enforce !== profile.enforce && hasCcxEntries(ctx, profile)) {
    return eachProfile(ctx, [profile], (prof) => installProfile(ctx, prof, { statusLine: false }));
  }
  return 0;
}

function rm(argv: string[], ctx: CliContext): number {
  const p = parse(argv, { purge: { type: 'boolean' } }, { min: 1, max: 1, names: 'the profile NAME' });
  const name = checkName(p.positionals[0]!);
  const purge = flag(p, 'purge');
  const registered = loadConfig(ctx).profiles.some((x) => x.name === name);
  let code = 0;
  if (registered) {
    const removed = removeProfile(ctx.paths.config, name);
    ctx.out(`removed profile ${name} from ${ctx.paths.config}\n`);
    code = eachProfile(ctx, [removed], (prof) => uninstallProfile(ctx, prof));
  } else if (!purge) {
    throw new CliError(`no profile "${name}" in ${ctx.paths.config} (see: ccx profile list)`);
  }
  if (!purge) {
    ctx.out(`${name}: history kept in ${ctx.paths.db}; delete it with: ccx profile rm ${name} --purge\n`);
    return code;
  }
  const deleted = purgeRows(ctx, name);
  const total = Object.values(deleted).reduce((a, b) => a + b, 0);
  if (!registered && total === 0) throw new CliError(`no profile "${name}" and no history for it in ${ctx.paths.db}`);
  ctx.out(
    `${name}: deleted ${total} rows of history (${
      Object.entries(deleted)
        .filter(([, n]) => n > 0)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ') || 'none held'
    })\n`,
  );
  return code;
}

function purgeRows(ctx: CliContext, name: string): Record<string, number> {
  if (!existsSync(ctx.paths.db)) return {};
  const db = openDb(ctx.paths.db);
  try {
    return purgeProfileRows(db, name);
  } finally {
    db.close();
  }
}

type Row = {
  active: boolean;
  name: string;
  agent: Agent;
  config_dir: string;
  plan_tier: string;
  /** plan_tier read from the profile's Claude Code login (.claude.json), config.toml naming none. */
  plan_tier_detected: boolean;
  label: string | null;
  registered: boolean;
  today_usd: number | null;
};

function list(argv: string[], ctx: CliContext): number {
  const p = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const config = loadConfig(ctx);
  const profiles = watched(ctx, config);
  const today = todayUsd(ctx);
  const active = activeProfile(profiles, ctx.env);
  const rows: Row[] = profiles.map((x) => ({
    active: x.name === active,
    name: x.name,
    agent: x.agent,
    config_dir: x.config_dir,
    plan_tier: x.plan_tier,
    plan_tier_detected: x.plan_tier_detected === true,
    label: x.label ?? null,
    registered: config.profiles.includes(x),
    today_usd: today[x.name] ?? null,
  }));
  if (flag(p, 'json')) {
    ctx.out(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  // Config dirs and labels come from config.toml: made printable before they are measured.
  // The AGENT column only beside another agent's profile: a Claude-only list stays as it was.
  const agents = hasOtherAgents(rows);
  const table = [
    ['', 'NAME', ...(agents ? ['AGENT'] : []), 'CONFIG DIR', 'PLAN', 'TODAY'],
    ...rows.map((r) => [
      r.active ? '*' : '',
      r.name + (r.registered ? '' : ' (unregistered)'),
      ...(agents ? [r.agent] : []),
      printable(r.config_dir),
      r.plan_tier + (r.plan_tier_detected ? ' (detected)' : ''),
      r.today_usd === null ? '-' : usdPlain(r.today_usd),
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    ctx.out(
      `${row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd()}\n`,
    );
  if (config.profiles.length === 0) ctx.out(`no profiles registered; add one with: ccx profile add NAME --config-dir DIR\n`);
  return 0;
}

/** Today's cost per profile from quota.json (the consolidator keeps it current); {} when absent. */
function todayUsd(ctx: CliContext): Record<string, number> {
  const out: Record<string, number> = {};
  // readSnapshot checks only the outline: a profile without a numeric cost is left out.
  for (const [name, q] of Object.entries(readSnapshot(ctx.paths.quota)?.profiles ?? {})) {
    if (typeof q?.today?.usd === 'number') out[name] = q.today.usd;
  }
  return out;
}
