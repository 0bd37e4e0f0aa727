// Install and uninstall as pure text transformations of a settings.json. Only ccx's entries are
// added, rewritten or cut; containers ccx's removal leaves empty (a group, an event array, the
// `hooks` object) go with them, so uninstall after install restores the original bytes.
import { SettingsError } from './errors';
import { appendItem, findMember, isPlainObject, removeItem, replaceNode, valueOf } from './json-text';
import { isCcxStatusLineCommand } from './recognise';
import { type CommandEntry, type DesiredHook, desiredSettings, type InstallContext, rewrittenEntry } from './snippet';
import { ccxLocations, keepers, type Location, readSettingsText, type Settings, sameJson } from './survey';

export type Plan = { text: string; changed: boolean };

/** A missing or blank file is an empty settings object. */
const startText = (text: string | null): string => (text === null || text.trim() === '' ? '{}\n' : text);

/**
 * Registers ccx's hooks for `ctx.profile`: an up-to-date entry per event, ccx entries of other
 * checkouts or events rewritten or removed, a ccx status line (if any) pointed at this checkout.
 */
export function planInstall(text: string | null, ctx: InstallContext): Plan & { disableAllHooks: boolean } {
  const want = desiredSettings(ctx);
  let cur = startText(text);
  for (let step = settle(cur, want.hooks); step !== null; step = settle(cur, want.hooks)) cur = step;
  for (let step = addMissing(cur, want.hooks); step !== null; step = addMissing(cur, want.hooks)) cur = step;
  cur = planStatusLineText(cur, want.statusLine, false).text;
  return { text: cur, changed: cur !== text, disableAllHooks: hooksDisabled(cur) };
}

/** Removes every ccx hook entry and a ccx status line; everything else stays byte for byte. */
export function planUninstall(text: string | null): Plan {
  if (text === null || text.trim() === '') return { text: text ?? '', changed: false };
  let cur = text;
  for (;;) {
    const doc = readSettingsText(cur);
    const first = doc.hooks && ccxLocations(cur, doc.hooks.node)[0];
    if (!first) break;
    cur = removeLocation(cur, doc, first);
  }
  const doc = readSettingsText(cur);
  const line = findMember(doc.root, 'statusLine');
  if (line && isCcxStatusLine(valueOf(cur, line.member.value))) cur = removeItem(cur, doc.root, line.index);
  return { text: cur, changed: cur !== text };
}

export type StatusLineOutcome = 'added' | 'updated' | 'unchanged' | 'user' | 'absent';

/**
 * Offers ccx's status line: added when the profile has none, pointed at this checkout when it is
 * already ccx's, and never touched when it is the user's own ('user').
 */
export function planStatusLine(text: string | null, ctx: InstallContext): Plan & { outcome: StatusLineOutcome } {
  const result = planStatusLineText(startText(text), desiredSettings(ctx).statusLine, true);
  return { ...result, changed: result.text !== text };
}

function planStatusLineText(text: string, want: CommandEntry, add: boolean): { text: string; outcome: StatusLineOutcome } {
  const { root } = readSettingsText(text);
  const line = findMember(root, 'statusLine');
  if (!line) return add ? { text: appendItem(text, root, want, 'statusLine'), outcome: 'added' } : { text, outcome: 'absent' };
  const current = valueOf(text, line.member.value);
  if (!isCcxStatusLine(current)) return { text, outcome: 'user' };
  const next = { ...current, ...want };
  if (sameJson(current, next)) return { text, outcome: 'unchanged' };
  return { text: replaceNode(text, line.member.value, next), outcome: 'updated' };
}

export function isCcxStatusLine(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && isCcxStatusLineCommand(value.command);
}

/** `disableAllHooks: true` switches every hook off, ccx's included: worth telling the user. */
export function hooksDisabled(text: string, doc: Settings = readSettingsText(text)): boolean {
  const m = findMember(doc.root, 'disableAllHooks');
  return m !== null && valueOf(text, m.member.value) === true;
}

/** One step towards "each wanted hook has exactly one current ccx entry", or null when there. */
function settle(text: string, wanted: DesiredHook[]): string | null {
  const doc = readSettingsText(text);
  if (!doc.hooks) return null;
  const locations = ccxLocations(text, doc.hooks.node);
  const kept = keepers(locations, wanted);
  for (const [want, at] of kept) {
    const current = valueOf(text, at.entry) as Record<string, unknown>;
    const next = rewrittenEntry(current, want.entry);
    if (!sameJson(current, next)) return replaceNode(text, at.entry, next);
  }
  const keptAt = new Set(kept.values());
  const surplus = locations.find((l) => !keptAt.has(l));
  return surplus ? removeLocation(text, doc, surplus) : null;
}

/** Adds one wanted hook that has no entry yet (all of them when `hooks` is absent), or null. */
function addMissing(text: string, wanted: DesiredHook[]): string | null {
  const doc = readSettingsText(text);
  if (!doc.hooks) {
    if (wanted.length === 0) return null;
    return appendItem(text, doc.root, Object.fromEntries(wanted.map((w) => [w.event, [group(w)]])), 'hooks');
  }
  const kept = keepers(ccxLocations(text, doc.hooks.node), wanted);
  const missing = wanted.find((w) => !kept.has(w));
  if (!missing) return null;
  const groups = findMember(doc.hooks.node, missing.event)?.member.value;
  if (!groups) return appendItem(text, doc.hooks.node, [group(missing)], missing.event);
  if (groups.kind !== 'array') throw new SettingsError(`"hooks.${missing.event}" is not an array`);
  return appendItem(text, groups, group(missing));
}

const group = (w: DesiredHook) => (w.matcher === undefined ? { hooks: [w.entry] } : { matcher: w.matcher, hooks: [w.entry] });

/** Cuts one ccx entry, and each container that holds nothing else. */
function removeLocation(text: string, doc: Settings, at: Location): string {
  if (at.entries.items.length > 1) return removeItem(text, at.entries, at.entryIndex);
  if (at.groups.items.length > 1) return removeItem(text, at.groups, at.groupIndex);
  const hooks = doc.hooks!;
  if (hooks.node.members.length > 1) return removeItem(text, hooks.node, at.eventIndex);
  return removeItem(text, doc.root, hooks.index);
}
