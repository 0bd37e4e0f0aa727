#!/usr/bin/env bash
# ccx set-up: checks Node >= 20 and npm, installs the dependencies (skipped when node_modules
# already matches package-lock.json and this node), builds, then hands over to
# `node dist/ccx-cli.js install`, which registers the hooks, links `ccx` and `ccx-report` into
# $XDG_BIN_HOME or ~/.local/bin, consolidates and reports.
# Safe to re-run: nothing that is already right is changed.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: ./install.sh [options]

Installs ccx's dependencies, builds it, and registers its hooks (plus a status line where the
profile has none) in every profile registered with ccx, or in the default Claude Code profile
($CLAUDE_CONFIG_DIR or ~/.claude) when none is registered. Links ccx and ccx-report into
$XDG_BIN_HOME or ~/.local/bin (never over a file that is not ccx's) and says how to put that dir on
PATH when it is not. Then reads the existing transcripts once and prints a summary report.
Re-running it (e.g. after moving to a newer checkout) is safe.

options:
  --profile NAME --config-dir DIR [--plan-tier pro|max5|max20|api]
                   register profile NAME for the Claude Code config dir DIR and install there only
  --uninstall      remove ccx's hooks and status line from every profile, and the links to this
                   checkout (ccx's data is kept)
  --no-statusline  do not add ccx's status line
  --no-report      skip the summary report
  -h, --help       this text
USAGE
}

die() { # exit code, message
  printf 'install.sh: %s\n' "$2" >&2
  exit "$1"
}

args=()
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --profile | --config-dir | --plan-tier)
      [ $# -ge 2 ] || die 2 "$1 needs a value (see ./install.sh --help)"
      args+=("$1" "$2")
      shift 2
      ;;
    --uninstall) uninstall=1; args+=("$1"); shift ;;
    --no-report | --no-statusline) args+=("$1"); shift ;;
    *) die 2 "unknown option $1 (see ./install.sh --help)" ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

command -v node >/dev/null 2>&1 ||
  die 1 "node is not on PATH: install Node.js 20 or newer (https://nodejs.org, or nvm install 20) and re-run"
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 20 ] 2>/dev/null ||
  die 1 "node $(node --version) is too old: ccx needs Node.js 20 or newer (e.g. nvm install 20), then re-run"

# Uninstalling with a build in place needs neither npm nor a rebuild.
if [ "$uninstall" = 0 ] || [ ! -f "$repo/dist/ccx-cli.js" ]; then
  command -v npm >/dev/null 2>&1 ||
    die 1 "npm is not on PATH: it comes with Node.js; install Node.js 20+ with npm and re-run"
  # better-sqlite3 is a native addon: a different node ABI needs a fresh install too.
  stamp="$repo/node_modules/.ccx-install-stamp"
  want="$(node -p 'process.versions.modules')-$(cksum <"$repo/package-lock.json")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "dependencies: up to date"
  else
    echo "dependencies: npm ci"
    # better-sqlite3 compiles against node's headers: when this node ships them, use those
    # rather than letting node-gyp download them (offline machines, proxies).
    node_prefix="$(cd "$(dirname "$(node -p 'process.execPath')")/.." && pwd -P)"
    if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then
      export npm_config_nodedir="$node_prefix"
    fi
    (cd "$repo" && npm ci --no-audit --no-fund)
    mkdir -p "$repo/node_modules"
    printf '%s' "$want" >"$stamp"
  fi
  echo "build: npm run build"
  (cd "$repo" && npm run build --silent)
fi

exec node "$repo/dist/ccx-cli.js" install ${args[@]+"${args[@]}"}
