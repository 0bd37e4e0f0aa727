// Install, uninstall and status of ccx's hooks in a Codex config.toml, as text: ccx's hooks and
// their trust entries are one block between two marker comments, appended at the end of the
// file; nothing outside it is touched (comments, spacing, key order, CRLF stay as written). A
// TOML writer would rewrite the whole file, so the file is only parsed, to count the user's own
// hook groups (the trust key holds the group's index) and to check the result.
import TOML from '@iarna/toml';
import {
  type CodexInstallContext,
  codexHookHash,
  codexHookIdentity,
  codexHookKey,
  desiredCodexHooks,
  normalizedTimeout,
} from './codex-hooks';
import { SettingsError } from './errors';
import type { Plan } from './plan';
import type { HookState, SettingsStatus } from './status';
import { splitPosixWords } from './words';

const BEGIN = '# >>> ccx hooks';
const END = '# <<< ccx hooks';
/** Ends the begin marker when install had to end the file's last line first. */
const EOL_ADDED = '(ccx ended the line above)';

type Doc = Record<string, unknown>;

/** Registers ccx's hooks for `ctx.profile`, trusted; `configPath` is config.toml's real absolute path. */
export function planCodexInstall(text: string | null, ctx: CodexInstallContext, configPath: string): Plan {
  const base = withoutBlock(text ?? '', configPath);
  const doc = parse(base, 'config.toml');
  const eol = base.includes('\r\n') ? '\r\n' : '\n';
  const endLine = base !== '' && !base.endsWith('\n');
  const lines = [`${BEGIN} of profile ${ctx.profile}: written by ccx, removed by \`ccx hooks uninstall\`${endLine ? ` ${EOL_ADDED}` : ''}`];
  const trust: string[] = [];
  for (const h of desiredCodexHooks(ctx)) {
    const group = userGroups(doc, h.event).length;
    lines.push(`[[hooks.${h.event}]]`, `[[hooks.${h.event}.hooks]]`, 'type = "command"', `command = ${JSON.stringify(h.command)}`);
    lines.push(`timeout = ${h.timeout}`, ...(h.async ? ['async = true'] : []), '');
    trust.push(
      `[hooks.state.${JSON.stringify(codexHookKey(configPath, h.event, group))}]`,
      `trusted_hash = ${JSON.stringify(codexHookHash(h.event, h))}`,
    );
  }
  lines.push(...trust, END, '');
  const out = base + (endLine ? eol : '') + lines.join(eol);
  try {
    parse(out, 'config.toml');
  } catch (err) {
    // A user's `hooks.<Event> = [ … ]` (an inline array) cannot take appended [[hooks.<Event>]] tables.
    throw new SettingsError(`ccx's hooks cannot be appended (${(err as Error).message}); write its [hooks] as [[hooks.<Event>]] tables`);
  }
  return { text: out, changed: out !== text };
}

/** Removes ccx's block; the rest of the file stays byte for byte. `keyPath` as for install. */
export function planCodexUninstall(text: string | null, keyPath: string): Plan {
  if (text === null) return { text: '', changed: false };
  const out = withoutBlock(text, keyPath);
  return { text: out, changed: out !== text };
}

/**
 * Judged as Codex would run it: per event, the first ccx hook, whether install would write it
 * so (else outdated: this checkout's hook written another way; stale: another checkout's), and
 * whether its trust entry holds its hash at its position (else untrusted: Codex skips it).
 */
export function codexStatus(text: string | null, ctx: CodexInstallContext, configPath: string): SettingsStatus {
  let doc: Doc;
  try {
    doc = parse(text ?? '', 'config.toml');
  } catch (err) {
    if (err instanceof SettingsError) return { state: 'invalid', error: err.message };
    throw err;
  }
  const events: Record<string, HookState> = {};
  let found = 0;
  let kept = 0;
  const want = desiredCodexHooks(ctx);
  for (const w of want) {
    const groups = userGroups(doc, w.event);
    found += ccxHandlers(groups).length;
    const [at] = ccxHandlers(groups);
    if (!at) {
      events[w.event] = 'missing';
      continue;
    }
    kept++;
    const { h, g, j } = at;
    const same = h.command === w.command && normalizedTimeout(w.event, h.timeout) === w.timeout && (h.async === true) === w.async;
    const matcher = typeof groups[g]?.matcher === 'string' ? (groups[g].matcher as string) : undefined;
    const state = stateTable(doc)[codexHookKey(configPath, w.event, g, j)];
    const trusted = state?.trusted_hash === codexHookHash(w.event, h, matcher) && state?.enabled !== false;
    events[w.event] = !same
      ? codexHookIdentity(h.command) === codexHookIdentity(w.command)
        ? 'outdated'
        : 'stale'
      : trusted
        ? 'ok'
        : 'untrusted';
  }
  const hooks = doc.hooks && typeof doc.hooks === 'object' ? (doc.hooks as Doc) : {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (event !== 'state' && !want.some((w) => w.event === event)) found += ccxHandlers(asGroups(groups)).length;
  }
  const surplus = found - kept;
  const states = Object.values(events);
  const state =
    surplus > 0 || states.some((s) => s === 'stale' || s === 'missing')
      ? found === 0
        ? 'missing'
        : 'partial'
      : states.includes('outdated')
        ? 'outdated'
        : states.includes('untrusted')
          ? 'untrusted'
          : 'installed';
  return { state, hooks: state, disableAllHooks: false, events, surplus, statusLine: 'none' };
}

/** ccx's hook commands in a config.toml, as the shell runs them (inside `/bin/sh -c`); [] when it does not parse. */
export function ccxCodexCommands(text: string | null): string[] {
  let doc: Doc;
  try {
    doc = parse(text ?? '', 'config.toml');
  } catch {
    return [];
  }
  const hooks = doc.hooks && typeof doc.hooks === 'object' ? (doc.hooks as Doc) : {};
  return Object.entries(hooks)
    .filter(([event]) => event !== 'state')
    .flatMap(([, groups]) => ccxHandlers(asGroups(groups)).map(({ h }) => unwrapSh(h.command)));
}

/** The command inside `/bin/sh -c '…'`, else the command itself. */
function unwrapSh(command: string): string {
  const words = splitPosixWords(command);
  return words?.length === 3 && words[0] === '/bin/sh' && words[1] === '-c' ? words[2]! : command;
}

/**
 * The text without ccx's block (and without the line end install added before it). Codex's own
 * config writer may have put tables of the user's inside the block (it inserts a new
 * `[hooks.state."…"]` after the last one, ccx's): those are kept, in place; only ccx's hook
 * tables and the trust tables of their positions (keys under `keyPath`) go.
 */
function withoutBlock(text: string, keyPath: string): string {
  const start = lineStart(text, BEGIN);
  if (start < 0) return text;
  const endAt = lineStart(text, END, start);
  if (endAt < 0) throw new SettingsError(`"${BEGIN}" has no "${END}" line after it; mend or remove ccx's block by hand`);
  const nl = text.indexOf('\n', endAt);
  const stop = nl < 0 ? text.length : nl + 1;
  const kept = foreignSections(text, text.slice(text.indexOf('\n', start) + 1, endAt), keyPath);
  if (kept !== '') return text.slice(0, start) + kept + text.slice(stop);
  const beginLine = text.slice(start, text.indexOf('\n', start)).replace(/\r$/, '');
  let from = start;
  // Only at the end of the file: there, install's line end belongs to the block.
  if (beginLine.endsWith(EOL_ADDED) && stop === text.length) from -= text.slice(0, start).endsWith('\r\n') ? 2 : 1;
  return text.slice(0, Math.max(from, 0)) + text.slice(stop);
}

/**
 * The block's tables that are not ccx's, as written. A table runs from its header line to the
 * next one (its comments and blank lines with it). ccx's: a `[[hooks.<Event>.hooks]]` holding a
 * ccx command and the `[[hooks.<Event>]]` right before it, and a `[hooks.state."<key>"]` whose
 * key is the position of a ccx hook in this file. When the file does not parse, all are ccx's.
 */
function foreignSections(text: string, block: string, keyPath: string): string {
  let ours: Set<string>;
  try {
    ours = ccxKeys(parse(text, 'config.toml'), keyPath);
  } catch {
    return '';
  }
  const sections: string[] = [];
  for (const line of block.split(/(?<=\n)/)) {
    if (/^\s*\[/.test(line) || sections.length === 0) sections.push(line);
    else sections[sections.length - 1] += line;
  }
  const isCcx = (section: string | undefined): boolean => {
    if (!section || !/^\s*\[/.test(section)) return section !== undefined; // blank lines before the first table
    let doc: Doc;
    try {
      doc = parse(section, 'config.toml');
    } catch {
      return true;
    }
    const hooks = (doc.hooks ?? {}) as Doc;
    const state = hooks.state as Doc | undefined;
    if (state) return Object.keys(state).length === 1 && ours.has(Object.keys(state)[0]!);
    // A handler table parses as hooks.<Event> = { hooks = [ … ] }; a group header as an array.
    const first = Object.values(hooks)[0];
    return !Array.isArray(first) && ccxHandlers(asGroups([first])).length > 0;
  };
  return sections
    .filter((section, i) => {
      if (isCcx(section)) return false;
      // `[[hooks.<Event>]]` (empty, or a matcher) followed by ccx's handler table is ccx's group.
      return !(
        /^\s*\[\[hooks\.[A-Za-z]+\]\]/.test(section) &&
        /^\s*\[\[hooks\.[A-Za-z]+\.hooks\]\]/.test(sections[i + 1] ?? '') &&
        isCcx(sections[i + 1])
      );
    })
    .join('');
}

/** The trust keys of ccx's hooks in this file, by their positions. */
function ccxKeys(doc: Doc, keyPath: string): Set<string> {
  const keys = new Set<string>();
  const hooks = doc.hooks && typeof doc.hooks === 'object' ? (doc.hooks as Doc) : {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (event === 'state') continue;
    for (const { g, j } of ccxHandlers(asGroups(groups))) keys.add(codexHookKey(keyPath, event, g, j));
  }
  return keys;
}

/** Offset of the first line (at or after `from`) starting with `prefix`, or -1. */
function lineStart(text: string, prefix: string, from = 0): number {
  for (let i = from; i < text.length; ) {
    if (text.startsWith(prefix, i) && (i === 0 || text[i - 1] === '\n')) return i;
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    i = nl + 1;
  }
  return -1;
}

function parse(text: string, name: string): Doc {
  try {
    // @iarna/toml refuses a CRLF after a comment, which TOML allows: parsed as LF, same meaning.
    return TOML.parse(text.replace(/\r\n/g, '\n')) as Doc;
  } catch (err) {
    throw new SettingsError(`${name} is not valid TOML: ${oneLine(err)}`);
  }
}

const oneLine = (err: unknown): string => String((err as Error).message ?? err).split('\n')[0]!;

type Group = Doc & { hooks?: unknown; matcher?: unknown };

function asGroups(v: unknown): Group[] {
  return Array.isArray(v) ? (v.filter((g) => g && typeof g === 'object') as Group[]) : [];
}

function userGroups(doc: Doc, event: string): Group[] {
  const hooks = doc.hooks;
  if (hooks !== undefined && (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks))) {
    throw new SettingsError('config.toml: `hooks` is not a table');
  }
  const v = (hooks as Doc | undefined)?.[event];
  if (v !== undefined && !Array.isArray(v)) throw new SettingsError(`config.toml: hooks.${event} is not an array of tables`);
  return asGroups(v);
}

/** ccx's handlers in these groups, in Codex's order: group index g, handler index j. */
function ccxHandlers(groups: Group[]): { h: { command: string; timeout?: unknown; async?: unknown }; g: number; j: number }[] {
  const out: { h: { command: string; timeout?: unknown; async?: unknown }; g: number; j: number }[] = [];
  groups.forEach((group, g) => {
    asGroups(group.hooks).forEach((h, j) => {
      if (typeof h.command === 'string' && codexHookIdentity(h.command) !== null) out.push({ h: h as { command: string }, g, j });
    });
  });
  return out;
}

function stateTable(doc: Doc): Record<string, { trusted_hash?: unknown; enabled?: unknown } | undefined> {
  const state = (doc.hooks as Doc | undefined)?.state;
  return state && typeof state === 'object' ? (state as Record<string, { trusted_hash?: unknown }>) : {};
}
