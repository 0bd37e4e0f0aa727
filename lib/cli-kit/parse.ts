// Option parsing for both commands. Our own loop rather than node:util parseArgs: every mistake
// becomes a short UsageError naming the flag and the fix, never node's raw wording, and
// `--since --json` reads as a forgotten value instead of the date "--json".
import { UsageError } from './errors';

export type OptionSpec = {
  type: 'string' | 'boolean';
  /** One letter: `-j`, `-s VALUE`, `-sVALUE`, `-s=VALUE`; boolean letters group (`-jb`). */
  short?: string;
  /** Repeatable: the values are collected in order. */
  multiple?: boolean;
  /** Boolean only: `--no-NAME` sets it false. */
  negatable?: boolean;
  /** String only: the accepted values, listed in the error. */
  choices?: readonly string[];
};
export type Options = Record<string, OptionSpec>;
export type Value = string | boolean | string[] | undefined;
export type Parsed = { values: Record<string, Value>; positionals: string[] };
type Positionals = { min: number; max: number; names: string };

/**
 * `options` may depend on the positionals read so far, for commands whose first word changes what
 * a short letter means (ccusage's `-i` is `--id` for `session`, `--instances` elsewhere).
 */
export function parse(
  argv: readonly string[],
  options: Options | ((positionals: readonly string[]) => Options),
  positionals: Positionals,
): Parsed {
  const values: Record<string, Value> = {};
  const pos: string[] = [];
  const optionsNow = () => (typeof options === 'function' ? options(pos) : options);
  const set = (name: string, spec: OptionSpec, v: string | boolean) => {
    if (typeof v === 'string' && spec.choices && !spec.choices.includes(v))
      throw new UsageError(`--${name} ${v}: use ${spec.choices.join(' or ')}`);
    if (spec.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), String(v)];
    else values[name] = v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      pos.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      pos.push(arg);
      continue;
    }
    const opts = optionsNow();
    const long = arg.startsWith('--');
    const eq = arg.indexOf('=');
    let name: string;
    let inline: string | undefined;
    if (long) {
      name = arg.slice(2, eq > 0 ? eq : undefined);
      inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    } else {
      const letter = arg[1]!;
      const found = Object.entries(opts).find(([, s]) => s.short === letter);
      if (!found) throw new UsageError(`unknown flag -${letter}`);
      name = found[0];
      const tail = arg.slice(2);
      if (found[1].type === 'boolean' && tail) {
        groupedBooleans(arg, opts, (n, s) => set(n, s, true));
        continue;
      }
      inline = tail ? tail.replace(/^=/, '') : undefined;
    }
    const flag = long ? `--${name}` : `-${arg[1]}`;
    const spec = opts[name];
    const negated = spec ? undefined : negation(name, opts);
    if (negated) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      set(negated, opts[negated]!, false);
      continue;
    }
    if (!spec) throw new UsageError(`unknown flag ${flag}`);
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      set(name, spec, true);
      continue;
    }
    if (inline !== undefined) {
      set(name, spec, inline);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined) throw new UsageError(`${flag} needs a value`);
    // A flag where the value should be: the value was forgotten. A value that really starts with
    // "-" (not a negative number) is written --flag=VALUE.
    if (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))
      throw new UsageError(`${flag} needs a value (got the flag ${next}; write ${flag}=VALUE for a value starting with "-")`);
    set(name, spec, next);
    i++;
  }
  if (pos.length < positionals.min) throw new UsageError(`missing ${positionals.names}`);
  if (pos.length > positionals.max) throw new UsageError(`unexpected argument ${JSON.stringify(pos[positionals.max])}`);
  return { values, positionals: pos };
}

/** `-jb`: every letter must be a boolean flag. */
function groupedBooleans(arg: string, opts: Options, on: (name: string, spec: OptionSpec) => void): void {
  for (const letter of arg.slice(1)) {
    const found = Object.entries(opts).find(([, s]) => s.short === letter);
    if (!found) throw new UsageError(`unknown flag -${letter} (in ${arg})`);
    if (found[1].type !== 'boolean') throw new UsageError(`-${letter} needs a value: give it on its own (-${letter} VALUE)`);
    on(found[0], found[1]);
  }
}

/** The boolean `--no-NAME` turns off, when NAME is declared negatable. */
function negation(name: string, opts: Options): string | undefined {
  const base = name.startsWith('no-') ? name.slice(3) : '';
  return opts[base]?.type === 'boolean' && opts[base]?.negatable ? base : undefined;
}

export const str = (p: Parsed, key: string): string | undefined => {
  const v = p.values[key];
  return typeof v === 'string' ? v : undefined;
};

export const flag = (p: Parsed, key: string): boolean => p.values[key] === true;

export const list = (p: Parsed, key: string): string[] => {
  const v = p.values[key];
  return Array.isArray(v) ? v : [];
};

/** -h or --help anywhere before `--`: the caller prints its help and exits 0. */
export function helpRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '-h' || a === '--help');
}
