// Reads a settings.json text into what planning needs: the top-level object, its `hooks` object,
// and where ccx's own hook entries sit.
import { SettingsError } from './errors';
import { findMember, type JsonNode, JsonSyntaxError, parseJsonText, valueOf } from './json-text';
import { isCcxHookCommand } from './recognise';
import type { DesiredHook } from './snippet';

export type ObjectNode = Extract<JsonNode, { kind: 'object' }>;
export type ArrayNode = Extract<JsonNode, { kind: 'array' }>;

export type Settings = {
  root: ObjectNode;
  /** The `hooks` object and its index among the top-level members, when present. */
  hooks: { node: ObjectNode; index: number } | null;
};

/** Throws SettingsError when the text is not JSON, not an object, or its `hooks` is not an object. */
export function readSettingsText(text: string): Settings {
  let root: JsonNode;
  try {
    root = parseJsonText(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new SettingsError(err.message);
    throw err;
  }
  if (root.kind !== 'object') throw new SettingsError('the top level is not a JSON object');
  const hooks = findMember(root, 'hooks');
  if (!hooks) return { root, hooks: null };
  if (hooks.member.value.kind !== 'object') throw new SettingsError('"hooks" is not an object');
  return { root, hooks: { node: hooks.member.value, index: hooks.index } };
}

/** One ccx command entry: hooks[event][groupIndex].hooks[entryIndex]. */
export type Location = {
  event: string;
  eventIndex: number;
  /** False for an event key repeated later in the object: JSON readers keep only the last. */
  effective: boolean;
  groups: ArrayNode;
  groupIndex: number;
  matcher: unknown;
  entries: ArrayNode;
  entryIndex: number;
  entry: ObjectNode;
};

export function ccxLocations(text: string, hooks: ObjectNode): Location[] {
  const found: Location[] = [];
  hooks.members.forEach(({ key: event, value: groups }, eventIndex) => {
    if (groups.kind !== 'array') return;
    const effective = findMember(hooks, event)!.index === eventIndex;
    groups.items.forEach((group, groupIndex) => {
      const entries = findMember(group, 'hooks')?.member.value;
      if (group.kind !== 'object' || entries?.kind !== 'array') return;
      const matcherNode = findMember(group, 'matcher')?.member.value;
      const matcher = matcherNode ? valueOf(text, matcherNode) : undefined;
      entries.items.forEach((entry, entryIndex) => {
        const command = findMember(entry, 'command')?.member.value;
        if (entry.kind === 'object' && command && isCcxHookCommand(valueOf(text, command))) {
          found.push({ event, eventIndex, effective, groups, groupIndex, matcher, entries, entryIndex, entry });
        }
      });
    });
  });
  return found;
}

/** Absent, "" and "*" all match every tool. */
const matcherKey = (m: unknown): string => (m === undefined || m === '' || m === '*' ? '*' : JSON.stringify(m));

/**
 * For each wanted hook, the existing ccx entry that stands for it: the first one under the same
 * event in a group with an equivalent matcher. Every other ccx entry is surplus.
 */
export function keepers(locations: Location[], wanted: DesiredHook[]): Map<DesiredHook, Location> {
  const kept = new Map<DesiredHook, Location>();
  for (const want of wanted) {
    const hit = locations.find((l) => l.effective && l.event === want.event && matcherKey(l.matcher) === matcherKey(want.matcher));
    if (hit) kept.set(want, hit);
  }
  return kept;
}

/** Same JSON, key order included. */
export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
