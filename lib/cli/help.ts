// --help text of every command. Keyed by the command words: '' is `ccx --help` itself.

import { PLAN_TIERS, WEEKLY_ANCHORS } from '../contracts/profile';
import { optionName, PROFILE_FIELD_NAMES } from '../profiles';

/** The profile fields as options, without those a help text describes itself. */
const fieldsBut = (...described: string[]) =>
  PROFILE_FIELD_NAMES.filter((f) => f !== 'config_dir' && !described.includes(f))
    .map(optionName)
    .join(' ');

export const HELP: Record<string, string> = {
  '': `usage: ccx <command> [options]

commands:
  profile add|list|set|rm   the registry of Claude Code profiles (config dirs) ccx watches
  hooks install|uninstall|status
                            ccx's hooks in each profile's settings.json
  use NAME [--shell SH]     print the code that switches a shell to profile NAME
  init SHELL                print the rc-file function that makes \`ccx use\` switch the shell
  doctor [--json]           check the whole set-up; exit 1 when something is broken
  status [--json]           consolidator, backlog, database, profiles at a glance
  serve [--port N]          the consolidator plus a local API and live dashboard on 127.0.0.1
  run [-- CLAUDE_ARGS...]   start claude in the profile with the most headroom
  top [--profile NAME]      live quota bars, burn rate and running sessions (q quits, p next profile)
  statusline                the Claude Code status line (registered by install; reads stdin)
  install [--uninstall]     what install.sh runs: hooks, status line, links, first report
  report [VIEW] [flags]     the same as ccx-report (see ccx report --help)

Run \`ccx <command> --help\` for a command's options. Reports: ccx-report --help.
Exit codes: 0 ok, 1 failed, 2 wrong usage.
`,
  profile: `usage: ccx profile <add|list|set|rm> ...

  add NAME --config-dir DIR [--plan-tier T] [--label L] [options]
                  register a profile and install ccx's hooks in its settings.json
  list [--json]   name, config dir, plan, today's cost; * marks the active profile
  set NAME --key value ...
                  change a profile's settings ('' removes an optional one)
  rm NAME [--purge]
                  unregister it and remove its hooks; --purge also deletes its history
`,
  'profile add': `usage: ccx profile add NAME --config-dir DIR [options]

Registers NAME in config.toml and installs ccx's hooks (and, when the profile has none, ccx's
status line) in DIR/settings.json.

  --config-dir DIR    the Claude Code config dir of this account (what CLAUDE_CONFIG_DIR names);
                      a relative DIR is taken from the current directory
  --create            create DIR when it does not exist (without it, a missing DIR is refused:
                      most often a typo)
  --agent A           claude (default) | codex: DIR is a CODEX_HOME, hooks go into its
                      config.toml, trusted | opencode: DIR is OpenCode's data dir, ccx's plugin
                      goes into its config dir's plugins/
  --plan-tier T       ${PLAN_TIERS.join(' | ')} (default pro): sets the default 5-hour turn cap
  --weekly-anchor A   when the weekly window restarts: ${WEEKLY_ANCHORS[0]} (default) |
                      ${WEEKLY_ANCHORS.slice(1).join(' | ')}
  --label L           a display name
  --no-hooks          register only; install the hooks later with ccx hooks install
  --no-statusline     do not add ccx's status line
  also, as in ccx profile set: ${fieldsBut('agent', 'label', 'plan_tier', 'weekly_anchor')}
`,
  'profile list': `usage: ccx profile list [--json]

Every watched profile: the registered ones, plus "default" (CLAUDE_CONFIG_DIR or ~/.claude) when
no registered profile covers it. PLAN "(detected)": config.toml names no plan_tier and the
profile's Claude Code login (.claude.json oauthAccount) names this one. TODAY is the cost since
local midnight from quota.json. The
active profile (*) is CCX_ACTIVE_PROFILE, or the one whose dir CLAUDE_CONFIG_DIR names.
`,
  'profile set': `usage: ccx profile set NAME --key value [--key value ...]

keys: --config-dir ${fieldsBut()}
An empty value ('') removes an optional key. Changing --config-dir or --agent moves the hooks
along; a new DIR must exist, or be created with --create.
`,
  'profile rm': `usage: ccx profile rm NAME [--purge]

Unregisters NAME and removes ccx's hooks from its settings.json. Its history stays in state.db
(reports still show it) unless --purge, which deletes every row of NAME in one transaction.
`,
  hooks: `usage: ccx hooks <install|uninstall|status> [--profile NAME]

  install [--no-statusline]   add or refresh ccx's hooks in every registered profile (or the
                              default config dir when none is registered), and offer the status line
  uninstall                   remove ccx's hooks and status line; nothing else in settings.json changes
  status [--json]             per profile: installed, partial, missing, disabled or invalid, and the fix
  --profile NAME              only this profile
`,
  use: `usage: ccx use NAME [--shell bash|zsh|fish|pwsh]

Prints code that sets CLAUDE_CONFIG_DIR and CCX_ACTIVE_PROFILE for profile NAME. Evaluate it,
e.g. eval "$(ccx use work)", or load \`ccx init SHELL\` in your rc file so that \`ccx use work\`
switches the shell by itself. --shell defaults to the one in $SHELL.
`,
  init: `usage: ccx init bash|zsh|fish|pwsh

Prints a shell function \`ccx\` for your rc file: \`ccx use NAME\` then switches the current shell,
every other command runs as usual. For example, in ~/.zshrc:  eval "$(ccx init zsh)"
`,
  doctor: `usage: ccx doctor [--json]

Checks node, CCX_HOME permissions, config.toml, each profile's config dir, settings.json and hooks
(installed, pointing at files that exist), the database (PRAGMA integrity_check), the consolidator
and its backlog, and the last event seen per profile. Each check is ok, warn or fail with a fix.
Exits 1 when any check fails.
`,
  statusline: `usage: ccx statusline [--profile NAME] [--format TEMPLATE]

Claude Code's status line command: Claude Code runs it every few seconds with its status JSON on
stdin and shows the one line it prints, by default
  work │ 5h 43% ↻14:05 │ wk 13% ↻Sat 09:00 │ $3.21 today │ ctx 62% │ Opus 4.8 │ $1.23 session
the profile, 5 h and weekly use with their reset times (Claude Code's rate_limits; ~ marks ccx's
own estimate), today's cost, context used, model, the session's cost. When COLUMNS is narrow the
weekly reset goes first, then the session's cost, the model, the context, today's cost and the
5 h reset; the profile and the percentages stay. It also records Claude Code's rate_limits for
ccx's quota. \`ccx install\` and \`ccx profile add\` register it in settings.json ("statusLine")
when the profile has none; --profile names the profile when its config dir does not say.

  --format TEMPLATE   your own order, e.g. '{model} {ctx} {5h} {wk} {profile}'; fields: {profile}
                      {model} {session} {today} {ctx} {5h} {wk}. Text between two fields is shown
                      only when both are. An unknown field prints the default line after a ⚠ note.
`,
  serve: `usage: ccx serve [--port N] [--metrics]

Runs the consolidator in this process until SIGINT/SIGTERM and serves 127.0.0.1:N (default: a
free port); prints the URL. Every request needs "Authorization: Bearer TOKEN", TOKEN being
start_token in $CCX_HOME/daemon.json (0600). The dashboard: open URL?token=TOKEN once; the
token moves into a cookie and out of the address bar.

  GET /                  live dashboard: quota gauges, cost, the current 5 h block, sessions
  GET /api/status        this server (daemon.json)
  GET /api/quota         per profile: window_5h, window_weekly, band, source, suggestion
  GET /api/usage         per profile, project, model and day: tokens, sessions, estimated USD
      ?since=&until=&profile=&project=   days YYYY-MM-DD (until inclusive) or ISO 8601 times;
                                         default: the last 30 days
  GET /api/sessions      sessions, the most recent first
      ?profile=&status=&since=&limit=    status running|completed|failed|ended; limit 1-1000 (100)
  GET /api/recommendations/live
                         Server-Sent Events: "recommendation" when a profile's band rises,
                         "usage" after each quota update, a heartbeat comment every 15 s
  GET /metrics           with --metrics: Prometheus text (tokens, cost, quota gauges)
`,
  run: `usage: ccx run [--profile NAME] [--print-only] [--supervise] [--claude PATH]
               [-- CLAUDE_ARGS...]

Starts Claude Code with CLAUDE_CONFIG_DIR and CCX_ACTIVE_PROFILE set for a profile, the
arguments after -- passed as they are, the terminal shared, and its exit status passed back
(128 + N when a signal N ended it). Without --profile: the profile quota.json names for a shell
on no profile (the one ranking rule of the warnings), and the reason on stderr.

  --profile NAME  this profile, whatever its quota
  --print-only    print binary=... profile=... CLAUDE_CONFIG_DIR=... CCX_ACTIVE_PROFILE=...
                  args=[JSON] and start nothing
  --supervise     stay attached: when the profile reaches its limit (100 %, a usage-limit hit
                  or a rate-limit failure), end claude (SIGINT, SIGTERM after 5 s) and resume
                  the same session on the sibling quota.json suggests (claude --resume ID, the
                  transcript copied into its config dir); each profile at most once per run.
                  A prompt among CLAUDE_ARGS is sent again on the resumed run.
  --claude PATH   the claude binary (default: $CCX_CLAUDE, else claude on PATH)
`,
  top: `usage: ccx top [--profile NAME ...]

A full-screen view that refreshes every second: per profile the 5 h and weekly bars with reset
countdowns, the active 5-hour block's burn rate and where it leads ("at this rate the 5 h window
is full at 15:40"), today's cost and the sessions running now. Keys: p moves the focus to the
next profile (drawn in full and marked; the others fold into one line when the screen is short),
q or Ctrl-C quits. Figures come from ccx serve when it runs, else from state.db and quota.json
(updated whenever Claude Code's hooks run a consolidation). --profile shows only NAME. When
stdout is not a terminal it prints one frame and exits. Also: ccx-report blocks --live.
`,
  status: `usage: ccx status [--json]

The consolidator (pid, uptime), the inbox backlog, the database size and the watched profiles.
`,
  install: `usage: ccx install [--profile NAME --config-dir DIR [--plan-tier T]] [--no-statusline] [--no-report]
       ccx install --uninstall [--profile NAME]

What install.sh runs after the build: registers the profile given, installs the hooks (and offers
the status line) in every registered profile or the default one, consolidates the existing
transcripts and prints the summary report. --uninstall removes ccx's hooks; data is kept.
`,
};
