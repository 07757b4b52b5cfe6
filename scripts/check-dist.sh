#!/usr/bin/env bash
# Fails when dist/, images.schema.json or the generated images.json validator is not exactly what the sources build: rebuilds in a
# temporary copy of the sources (the checkout is not touched) and diffs the result against the
# files in the checkout, which in CI are the committed ones.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
max_lines=${CHECK_DIST_MAX_DIFF_LINES:-200}

# Inside the checkout (.tmp/ is git-ignored) so node_modules can be hard-linked, not symlinked:
# esbuild names bundled modules by their real path, and a symlink would change every name.
mkdir -p .tmp
work=$(mktemp -d "$root/.tmp/check-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT

cp -R src scripts package.json tsconfig.json "$work/"
cp -al node_modules "$work/node_modules" 2>/dev/null || cp -R node_modules "$work/node_modules"
(cd "$work" && node scripts/bundle.mjs)

stale=0
report() {
  local file=$1
  echo "::error file=$file::$file is not what the sources build" >&2
  stale=1
}

# Same set of files in dist/.
expected=$(cd "$work/dist" && find . -type f | sort)
actual=$( (cd dist 2>/dev/null && find . -type f | sort) || true)
if [ "$expected" != "$actual" ]; then
  echo "dist/ holds other files than the build produces:" >&2
  diff <(echo "$expected") <(echo "$actual") --label built --label dist/ -u >&2 || true
  stale=1
fi

for file in $(cd "$work" && find dist -type f | sort) images.schema.json \
  src/update/images-validator.generated.js; do
  if [ ! -f "$file" ]; then
    report "$file"
    echo "$file is missing" >&2
  elif ! cmp -s "$work/$file" "$file"; then
    report "$file"
    diff -u --label "$file (in the checkout)" --label "$file (built from src/)" "$file" "$work/$file" \
      | head -n "$max_lines" | cut -c1-300 >&2 || true
    lines=$(diff "$file" "$work/$file" | wc -l || true)
    if [ "$lines" -gt "$max_lines" ]; then echo "… diff cut at $max_lines lines" >&2; fi
  fi
done

if [ "$stale" -ne 0 ]; then
  cat >&2 <<'MSG'

dist/ is stale: the committed bundle is not what the current sources build.
Run `npm run bundle` and commit dist/ and images.schema.json with your change (and
src/update/images-validator.generated.js, which it writes too).
MSG
  exit 1
fi
echo "dist/ and images.schema.json match the sources"
