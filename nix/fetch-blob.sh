# Fetches one blob by digest into $out, trying each source in turn. Sourced in a subshell by the
# blob's fixed-output derivation (its options and exit stay out of stdenv's shell), whose
# environment sets:
#   digest      sha256:<64 hex> or sha512:<128 hex>
#   size        its size in bytes from the manifest (0: unknown)
#   repository  the repository path at the origin (library/nginx)
#   sources     newline-separated "scheme://host[:port][/path prefix]" to try in order
#   netrcFile   optional: a netrc file with registry (or token service) credentials
#   curlCaFile  the CA bundle for TLS
# The bytes are checked against the digest here so that a bad source is skipped for the next
# one, and again by Nix through outputHash: no source needs to be trusted.
set -euo pipefail

algo=${digest%%:*}
hex=${digest#*:}
work=$(mktemp -d)
# The token and partial downloads go with the subshell, even when a build is kept for debugging.
trap 'rm -rf "$work"' EXIT
max_hops=10
# A stalled source is dropped after a minute below 1 KiB/s; no answer may exceed what is expected
# of it (the blob's size, 1 MiB for a token), so a hostile source cannot fill the disk.
curl_common=(curl --silent --show-error --globoff --proto '=http,https' --cacert "$curlCaFile"
  --connect-timeout 30 --retry 2 --retry-connrefused --speed-limit 1024 --speed-time 60)
blob_limit=()
if [ "${size:-0}" -gt 0 ]; then blob_limit=(--max-filesize "$size"); fi
# --max-filesize only sees a Content-Length (before curl 8.4); a file size limit on the process
# also stops an endless chunked body, a few KiB past the expected size.
bounded() {
  (
    if [ "${size:-0}" -gt 0 ]; then ulimit -f $((size / 1024 + 8)); fi
    exec "$@"
  )
}
if [ -n "${netrcFile:-}" ]; then
  [ -r "$netrcFile" ] || {
    echo "nix-oci-hashes: netrcFile $netrcFile is not readable by the build (with the sandbox on, add it to extra-sandbox-paths)" >&2
    exit 1
  }
  curl_common+=(--netrc-optional --netrc-file "$netrcFile")
fi

origin_of() { [[ $1 =~ ^([a-z]+://[^/]+) ]] && printf '%s' "${BASH_REMATCH[1]}"; }
# A URL as messages show it: no user info, no query (a CDN's signature lives there).
shown() {
  local url=${1%%\?*}
  if [[ $url =~ ^([a-z]+://)[^/@]*@(.*)$ ]]; then url="${BASH_REMATCH[1]}${BASH_REMATCH[2]}"; fi
  printf '%s' "$url"
}
# Plain bash, so the build needs no grep or sed beside curl, jq and coreutils.
header_of() {
  local line
  while IFS= read -r line; do
    line=${line%$'\r'}
    if [[ ${line,,} == "$1":* ]]; then
      line=${line#*:}
      printf '%s' "${line#"${line%%[! ]*}"}"
      return 0
    fi
  done <"$work/headers"
  return 1
}
challenge_param() { [[ $challenge =~ $1=\"([^\"]*)\" ]] && printf '%s' "${BASH_REMATCH[1]}"; }

# The anonymous (or netrc) Bearer-token flow the registry's 401 at $1 asks for. The scope is
# pull on the repository that URL names, whatever the challenge asks: a source answering with a
# token service's realm then gets at most a token for the blob's own repository. The token goes
# in a header file, never on a command line another user could read.
fetch_token() {
  challenge=$(header_of www-authenticate)
  [[ $challenge =~ ^[Bb]earer ]] || return 1
  [[ $1 =~ ^[a-z]+://[^/]+/v2/(.+)/blobs/ ]] || return 1
  local realm service scope="repository:${BASH_REMATCH[1]}:pull"
  realm=$(challenge_param realm) || return 1
  service=$(challenge_param service) || service=""
  local code
  code=$("${curl_common[@]}" --max-filesize 1048576 --get -o "$work/token.json" -w '%{http_code}' \
    --data-urlencode "service=$service" --data-urlencode "scope=$scope" "$realm") || return 1
  [ "$code" = 200 ] || {
    echo "nix-oci-hashes: the token service at $(shown "$realm") answered $code" >&2
    return 1
  }
  local token
  token=$(jq -r '.token // .access_token // empty' "$work/token.json")
  rm -f "$work/token.json"
  [ -n "$token" ] || return 1
  printf 'Authorization: Bearer %s\n' "$token" >"$work/auth"
}

# One source: follow redirects ourselves so the Authorization header goes only to the origin
# that asked for it (a CDN host gets none), and answer a 401 at the URL that sent it.
fetch_from() {
  local url=$1 token_origin="" hop code redirect
  rm -f "$work/auth"
  for ((hop = 0; hop < max_hops; hop++)); do
    local auth=()
    if [ -n "$token_origin" ] && [ "$(origin_of "$url")" = "$token_origin" ]; then
      auth=(-H "@$work/auth")
    fi
    rm -f "$work/blob"
    read -r code redirect < <(bounded "${curl_common[@]}" "${auth[@]}" "${blob_limit[@]}" -D "$work/headers" -o "$work/blob" \
      -w '%{http_code} %{redirect_url}\n' "$url" || echo "000")
    case $code in
      200)
        local got
        [ -f "$work/blob" ] || : >"$work/blob"
        got=$("${algo}sum" "$work/blob")
        got=${got%% *}
        if [ "$got" = "$hex" ]; then return 0; fi
        echo "nix-oci-hashes: blob $digest from $(shown "$url") hashes to $algo:$got, not to its digest" >&2
        return 1
        ;;
      301 | 302 | 303 | 307 | 308) url=$redirect ;;
      401)
        if [ "$token_origin" = "$(origin_of "$url")" ]; then
          echo "nix-oci-hashes: blob $digest: $(shown "$url") refused the token (401)" >&2
          return 1
        fi
        fetch_token "$url" || {
          echo "nix-oci-hashes: blob $digest: $(shown "$url") answered 401 and no token could be had" >&2
          return 1
        }
        token_origin=$(origin_of "$url")
        ;;
      *)
        echo "nix-oci-hashes: blob $digest: $(shown "$url") answered ${code/000/no HTTP status}" >&2
        return 1
        ;;
    esac
  done
  echo "nix-oci-hashes: blob $digest: more than $max_hops redirects from $(shown "$1")" >&2
  return 1
}

while IFS= read -r source; do
  [ -n "$source" ] || continue
  base=$(origin_of "$source")
  prefix=${source#"$base"}
  prefix=${prefix%/}
  if fetch_from "$base/v2${prefix}/$repository/blobs/$digest"; then
    mv "$work/blob" "$out"
    exit 0
  fi
done <<<"$sources"
echo "nix-oci-hashes: could not fetch blob $digest of $repository from any source" >&2
exit 1
