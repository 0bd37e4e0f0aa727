// What Claude Code (or Codex) sends a command hook on stdin, validated with zod/mini (the hook
// path must not load full zod). Objects are loose: unknown fields are kept, both agents add them
// often. Codex's payloads of the same-named events fit: session_id (its thread id, a UUID), cwd,
// hook_event_name, transcript_path (the rollout), model (not on SessionEnd); turn_id on the
// events inside a turn (not SessionStart, SessionEnd); a sub-agent's SubagentStop carries the
// parent's session_id and the sub-agent's thread id as agent_id (Codex 0.169.0's real payloads).
import * as z from 'zod/mini';

/** Every event ccx registers a hook for, with its executable's kebab-case name. */
export const HOOK_EVENTS = {
  SessionStart: 'session-start',
  UserPromptSubmit: 'user-prompt-submit',
  PreToolUse: 'pre-tool-use',
  Stop: 'stop',
  StopFailure: 'stop-failure',
  SubagentStop: 'subagent-stop',
  SessionEnd: 'session-end',
  PreCompact: 'pre-compact',
  PostCompact: 'post-compact',
  Notification: 'notification',
} as const;
export type HookEventName = keyof typeof HOOK_EVENTS;
export const HOOK_EVENT_NAMES = Object.keys(HOOK_EVENTS) as HookEventName[];

export const SESSION_ID_RE = /^[A-Za-z0-9_-]{1,128}$/;

/** Absolute, no '..' segment, no NUL: safe to join and to open. */
export function isSafeAbsolutePath(p: string): boolean {
  return p.startsWith('/') && !p.includes('\0') && !p.split('/').includes('..');
}

export function hookInputSchema(event: HookEventName) {
  // The hook path has no zod locale (it costs start-up): every check carries its own message.
  return z.looseObject(
    {
      session_id: z.string('session_id must be a string').check(z.regex(SESSION_ID_RE, 'session_id must match ^[A-Za-z0-9_-]{1,128}$')),
      hook_event_name: z.literal(event, `hook_event_name must be "${event}" for this hook`),
      transcript_path: z.optional(
        z.string('transcript_path must be a string').check(z.refine(isSafeAbsolutePath, 'transcript_path must be absolute without ".."')),
      ),
      cwd: z.optional(z.string('cwd must be a string')),
      permission_mode: z.optional(z.string('permission_mode must be a string')),
      turn_id: z.optional(z.string('turn_id must be a string')),
      /** Set when the event comes from a sub-agent of session_id (Codex; Claude Code's sub-agent hooks). */
      agent_id: z.optional(z.nullable(z.string('agent_id must be a string'))),
    },
    'the hook input must be a JSON object',
  );
}
export type HookInput = z.infer<ReturnType<typeof hookInputSchema>>;

/**
 * What users typed or tools carried: prompts, tool inputs and results, replies, compaction
 * instructions. ccx needs none of it, so it is not stored unless `keep_payloads = true`.
 */
export const PAYLOAD_TEXT_FIELDS = ['prompt', 'tool_input', 'tool_response', 'last_assistant_message', 'custom_instructions'] as const;

/** StopFailure errors that are not a turn: the request never reached the model. */
export const AUTH_ERRORS: ReadonlySet<string> = new Set(['authentication_failed', 'oauth_org_not_allowed']);
