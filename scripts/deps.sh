#!/bin/sh
# Installs the Debian packages calque needs to build, test and benchmark,
# but only those that are missing. Called by the Makefile; safe to re-run.
set -eu

want="gcc make pkg-config libutf8proc-dev libxxhash-dev zlib1g-dev libzstd-dev \
libgumbo-dev"
[ "${1:-}" = "--bench" ] && want="$want hyperfine time"

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "calque: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "calque: run as root, or install them yourself: apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
