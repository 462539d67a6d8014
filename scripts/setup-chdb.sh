#!/usr/bin/env bash
# Makes sure the embedded ClickHouse engine (chDB) is on this machine, outside the repo, and prints its path on the
# last line. Idempotent and quiet when already done.
#
#   scripts/setup-chdb.sh                      # -> ~/.cache/analytics/chdb/26.7.3-stable.1/libchdb.so
#   ANALYTICS_CACHE=/opt/cache scripts/setup-chdb.sh
#
# The store finds the library at the same default path; override with Storage:ChDb:LibraryPath or CHDB_LIB_PATH.
set -euo pipefail

CHDB_VERSION="26.7.3-stable.1"
NPM_PACKAGE="@chdb/lib-linux-x64-gnu@${CHDB_VERSION}"
TARBALL="chdb-lib-linux-x64-gnu-${CHDB_VERSION}.tgz"

cache_root="${ANALYTICS_CACHE:-$HOME/.cache/analytics}/chdb"
target_dir="${cache_root}/${CHDB_VERSION}"
target="${target_dir}/libchdb.so"

if [[ -s "$target" ]]; then
  echo "$target"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "setup-chdb: only linux-x64 (glibc) is packaged here; set CHDB_LIB_PATH to a libchdb built for $(uname -s)-$(uname -m)" >&2
     exit 1 ;;
esac

mkdir -p "$target_dir"
tmp="$(mktemp "${target}.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

# Place a file at $target atomically: hard link when possible (no extra 570 MB), else copy.
install_from() {
  ln -f "$1" "$tmp" 2>/dev/null || cp -f "$1" "$tmp"
  chmod 0755 "$tmp"
  mv -f "$tmp" "$target"
}

extracted="${cache_root}/package/libchdb.so"
if [[ -s "$extracted" ]]; then
  # An earlier manual `npm pack` + extract left the library here: reuse it.
  install_from "$extracted"
else
  tarball="${cache_root}/${TARBALL}"
  if [[ ! -s "$tarball" ]]; then
    command -v npm >/dev/null || { echo "setup-chdb: npm is required to fetch ${NPM_PACKAGE}" >&2; exit 1; }
    echo "setup-chdb: fetching ${NPM_PACKAGE} (about 180 MB) ..." >&2
    (cd "$cache_root" && npm pack --silent "$NPM_PACKAGE" >/dev/null)
  fi
  echo "setup-chdb: extracting libchdb.so ..." >&2
  tar -xzf "$tarball" -O package/libchdb.so > "$tmp"
  chmod 0755 "$tmp"
  mv -f "$tmp" "$target"
fi

echo "$target"
