// OpenCode's bus events → the hook events ccx's consolidator folds into sessions and turns, as
// opencode-ai 1.18.33 emits them (test/fixtures/opencode/events-1.18.33.jsonl, recorded from
// `opencode run`). A turn opens with a user message and closes once: OpenCode sends session.idle
// twice after an error, and once per sub-agent session (a `task` tool call's child session).

/** What a plugin's `event` hook receives: `{ event: { type, properties } }`. */
export type OpenCodeEvent = { type: string; properties?: Record<string, unknown> };

export type HookRecord = { event: string; payload: Record<string, unknown> };

/** Sessions remembered at once; past it the oldest go (a long-lived OpenCode, many sessions). */
export const MAX_SESSIONS = 1000;

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A Map that forgets its oldest entries past MAX_SESSIONS. */
class Bounded<V> extends Map<string, V> {
  override set(k: string, v: V): this {
    this.delete(k);
    super.set(k, v);
    if (this.size > MAX_SESSIONS) this.delete(this.keys().next().value as string);
    return this;
  }
}

/** OpenCode's error names → the StopFailure error codes ccx knows (contracts/hook-input's AUTH_ERRORS...). */
function errorCode(e: Record<string, unknown> | undefined): string {
  const data = obj(e?.data);
  switch (e?.name) {
    case 'ProviderAuthError':
      return 'authentication_failed';
    case 'MessageOutputLengthError':
      return 'max_output_tokens';
    case 'APIError': {
      const status = data?.statusCode;
      if (status === 401 || status === 403) return 'authentication_failed';
      if (status === 429) return 'rate_limit';
      return typeof status === 'number' && status < 500 ? 'invalid_request' : 'server_error';
    }
    default:
      return 'unknown';
  }
}

/**
 * One per OpenCode process: remembers which sessions are sub-agents' (their parent) and which have
 * a turn open, so each event maps to at most one record.
 */
export function eventMapper(directory: string) {
  const parentOf = new Bounded<string>();
  const open = new Bounded<boolean>();
  const base = (event: string, sessionId: string, extra: Record<string, unknown>, type: string): HookRecord => ({
    event,
    payload: { session_id: sessionId, hook_event_name: event, cwd: directory, opencode_event: type, ...extra },
  });

  return (e: OpenCodeEvent): HookRecord | null => {
    const p = e.properties ?? {};
    const info = obj(p.info);
    switch (e.type) {
      case 'session.created': {
        const id = str(info?.id);
        if (!id) return null;
        const cwd = str(info?.directory) ?? directory;
        const parent = str(info?.parentID);
        if (!parent) return base('SessionStart', id, { cwd, source: 'startup' }, e.type);
        parentOf.set(id, parent);
        return base('SubagentStart', parent, { cwd, agent_id: id }, e.type);
      }
      case 'message.updated': {
        const sid = str(info?.sessionID);
        if (!sid || info?.role !== 'user' || open.get(sid)) return null;
        open.set(sid, true);
        // A sub-agent's prompt is its parent's tool call, not the user's.
        if (parentOf.has(sid)) return null;
        return base('UserPromptSubmit', sid, { model: str(obj(info.model)?.modelID) }, e.type);
      }
      case 'session.error': {
        const sid = str(p.sessionID);
        const err = obj(p.error);
        // An abort (Esc) ends the turn as OpenCode's idle does: not a failure.
        if (!sid || !open.get(sid) || parentOf.has(sid) || err?.name === 'MessageAbortedError') return null;
        open.set(sid, false);
        const message = str(obj(err?.data)?.message);
        return base('StopFailure', sid, { error: errorCode(err), error_details: message ?? str(err?.name) }, e.type);
      }
      case 'session.idle': {
        const sid = str(p.sessionID);
        if (!sid || !open.get(sid)) return null;
        open.set(sid, false);
        const parent = parentOf.get(sid);
        return parent ? base('SubagentStop', parent, { agent_id: sid }, e.type) : base('Stop', sid, {}, e.type);
      }
      default:
        return null;
    }
  };
}
