// What `ccx hooks status` reports for one settings.json, judged against what install would write.
import { SettingsError } from './errors';
import { findMember, valueOf } from './json-text';
import { hooksDisabled, isCcxStatusLine } from './plan';
import { hookIdentity } from './recognise';
import { type CommandEntry, desiredSettings, type InstallContext, rewrittenEntry } from './snippet';
import { ccxLocations, keepers, readSettingsText, sameJson } from './survey';

/**
 * ok: as install writes it; outdated: this checkout's hook, registered another way than the
 * table says (an older ccx, or the profile's enforce changed since); stale: a ccx entry
 * from another checkout or node; missing: none; untrusted (Codex only): as install writes it,
 * but without the trust entry Codex needs to run it.
 */
export type HookState = 'ok' | 'outdated' | 'stale' | 'missing' | 'untrusted';

export type SettingsStatus =
  | { state: 'invalid'; error: string }
  | {
      /** 'disabled' when disableAllHooks is true, whatever `hooks` says. */
      state: 'installed' | 'outdated' | 'untrusted' | 'partial' | 'missing' | 'disabled';
      hooks: 'installed' | 'outdated' | 'untrusted' | 'partial' | 'missing';
      disableAllHooks: boolean;
      events: Record<string, HookState>;
      /** ccx entries install would remove (duplicates, events ccx no longer registers). */
      surplus: number;
      statusLine: 'ccx' | 'ccx-stale' | 'user' | 'none';
    };

export function settingsStatus(text: string | null, ctx: InstallContext): SettingsStatus {
  const want = desiredSettings(ctx);
  const src = text === null || text.trim() === '' ? '{}' : text;
  let doc: ReturnType<typeof readSettingsText>;
  try {
    doc = readSettingsText(src);
  } catch (err) {
    if (err instanceof SettingsError) return { state: 'invalid', error: err.message };
    throw err;
  }
  const locations = doc.hooks ? ccxLocations(src, doc.hooks.node) : [];
  const kept = keepers(locations, want.hooks);
  const events: Record<string, HookState> = {};
  for (const w of want.hooks) {
    const at = kept.get(w);
    const current = at && (valueOf(src, at.entry) as Record<string, unknown>);
    events[w.event] = !current
      ? 'missing'
      : sameJson(current, rewrittenEntry(current, w.entry))
        ? 'ok'
        : outdated(current, w.entry)
          ? 'outdated'
          : 'stale';
  }
  const surplus = locations.length - kept.size;
  const states = Object.values(events);
  const hooks =
    surplus > 0 || states.some((s) => s === 'stale' || s === 'missing')
      ? locations.length === 0
        ? 'missing'
        : 'partial'
      : states.includes('outdated')
        ? 'outdated'
        : 'installed';
  const disableAllHooks = hooksDisabled(src, doc);

  const line = findMember(doc.root, 'statusLine');
  const lineValue = line && valueOf(src, line.member.value);
  const statusLine = !line
    ? 'none'
    : !isCcxStatusLine(lineValue)
      ? 'user'
      : sameJson(lineValue, { ...lineValue, ...want.statusLine })
        ? 'ccx'
        : 'ccx-stale';
  return { state: disableAllHooks ? 'disabled' : hooks, hooks, disableAllHooks, events, surplus, statusLine };
}

/** Same hook as wanted (node, script, profile), only registered another way (sync, async, guarded). */
function outdated(current: Record<string, unknown>, want: CommandEntry): boolean {
  return hookIdentity(current.command) === hookIdentity(want.command) && current.timeout === want.timeout;
}
