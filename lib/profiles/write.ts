// Edits $CCX_HOME/config.toml: add, change or remove one profile, each under config.toml's lock
// (../file-lock) with the file read inside it. The whole result is validated with parseConfig
// before anything is written, then replaced atomically (file 0600, dir 0700).
// A file that does not parse is refused, not rewritten: the user fixes it by hand first.
// Comments are not kept: @iarna/toml writes data only.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import TOML, { type JsonMap } from '@iarna/toml';
import { writeFileAtomic } from '../atomic-write';
import type { Profile } from '../contracts/profile';
import { withFileLock } from '../file-lock';
import { type CcxConfig, ConfigError, parseConfig, settingsOf } from './config';
import { FieldError, type ProfileField } from './fields';

/** New values per key; null removes the key (it falls back to its default). */
export type FieldValues = Partial<Record<ProfileField, string | number | boolean | null>>;

/** The edit makes no sense for the registry as it is (name taken, unknown, dir shared). */
export class ProfileError extends Error {
  override name = 'ProfileError';
}

type Tables = Record<string, Record<string, unknown>>;
type Loaded = { tables: Tables; config: CcxConfig };
/** The profile after the edit and before it (null: it was not registered). */
export type ProfileEdit = { profile: Profile; previous: Profile | null; changed: boolean };
type Updated = ProfileEdit & { previous: Profile };

export function addProfile(file: string, name: string, values: FieldValues): Profile {
  return edit(file, (loaded) => addTo(loaded, file, name, values));
}

/** Changes the given keys; writes only when something differs. `previous` is the profile before. */
export function updateProfile(file: string, name: string, values: FieldValues): Updated {
  return edit(file, (loaded) => updateIn(loaded, file, name, values));
}

/** Adds the profile, or changes the given keys of the one already registered under that name. */
export function registerProfile(file: string, name: string, values: FieldValues): ProfileEdit {
  return edit(file, (loaded) =>
    loaded.tables[name]
      ? updateIn(loaded, file, name, values)
      : { profile: addTo(loaded, file, name, values), previous: null, changed: true },
  );
}

/** Removes the profile's table; returns the profile as it was. */
export function removeProfile(file: string, name: string): Profile {
  return edit(file, ({ tables, config }) => {
    if (!tables[name]) throw new ProfileError(`no profile "${name}" in ${file} (see: ccx profile list)`);
    delete tables[name];
    save(file, tables, config);
    return pick(config, name);
  });
}

/** The read-modify-write under config.toml's lock, so concurrent edits all land. */
function edit<T>(file: string, change: (loaded: Loaded) => T): T {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  return withFileLock(file, () => change(load(file)));
}

function addTo({ tables, config }: Loaded, file: string, name: string, values: FieldValues): Profile {
  if (tables[name]) throw new ProfileError(`profile "${name}" already exists; change it with: ccx profile set ${name} --key value`);
  if (typeof values.config_dir !== 'string') throw new ProfileError(`profile "${name}" is not registered yet: give --config-dir DIR`);
  const dir = resolve(values.config_dir);
  const owner = config.profiles.find((p) => p.config_dir === dir);
  if (owner) throw new ProfileError(`${dir} is already the config dir of profile "${owner.name}"; two profiles cannot share one`);
  tables[name] = apply({}, values);
  return pick(save(file, tables, config), name);
}

function updateIn({ tables, config }: Loaded, file: string, name: string, values: FieldValues): Updated {
  const table = tables[name];
  if (!table) throw new ProfileError(`no profile "${name}" in ${file} (see: ccx profile list)`);
  const previous = pick(config, name);
  const next = apply({ ...table }, values);
  if (JSON.stringify(next) === JSON.stringify(table)) return { profile: previous, previous, changed: false };
  tables[name] = next;
  return { profile: pick(save(file, tables, config), name), previous, changed: true };
}

function load(file: string): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { tables: {}, config: { profiles: [] } };
  }
  const config = parseConfig(text, file);
  const tables = ((TOML.parse(text) as Record<string, unknown>).profiles ?? {}) as Tables;
  return { tables, config };
}

function apply(table: Record<string, unknown>, values: FieldValues): Record<string, unknown> {
  for (const [key, value] of Object.entries(values)) {
    if (value === null) delete table[key];
    else if (value !== undefined) table[key] = key === 'config_dir' ? resolve(String(value)) : value;
  }
  return table;
}

/** The file was valid when loaded, so a result that is not comes from the values given: a FieldError. */
function save(file: string, tables: Tables, was: CcxConfig): CcxConfig {
  const text = TOML.stringify({ ...settingsOf(was), profiles: tables } as JsonMap);
  let config: CcxConfig;
  try {
    config = parseConfig(text, file);
  } catch (err) {
    if (err instanceof ConfigError) throw new FieldError(`invalid value: ${err.message.slice(file.length + 2)}`);
    throw err;
  }
  writeFileAtomic(file, text, { mode: 0o600 });
  return config;
}

function pick(config: CcxConfig, name: string): Profile {
  const p = config.profiles.find((x) => x.name === name);
  if (!p) throw new ProfileError(`profile "${name}" vanished while being written`);
  return p;
}
