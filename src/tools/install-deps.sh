#!/bin/sh
# Check that the Debian packages nhiscan builds and tests with are present. As root, install the
# missing ones with apt-get; otherwise print the exact command to run and exit with status 2.
#   install-deps.sh STAMP    (touches STAMP when everything is present)
set -eu

stamp=${1:-}

# Hyperscan is built for x86-64 CPUs with SSSE3; vectorscan is the same API for other CPUs.
hyperscan_package() {
	if [ "$(uname -m)" = x86_64 ] && grep -q ssse3 /proc/cpuinfo 2>/dev/null; then
		echo libhyperscan-dev
	else
		echo libvectorscan-dev
	fi
}

# "pkg-config module:Debian package" for libraries, "command:Debian package" for tools.
libraries="libgit2:libgit2-dev tree-sitter:libtree-sitter-dev yaml-0.1:libyaml-dev
libpcre2-8:libpcre2-dev zlib:zlib1g-dev libdeflate:libdeflate-dev libhs:$(hyperscan_package) cmocka:libcmocka-dev"
tools="pkg-config:pkg-config git:git npm:npm python3:python3 cc:gcc make:make"

missing=""
for entry in $tools; do
	command -v "${entry%%:*}" >/dev/null 2>&1 || missing="$missing ${entry#*:}"
done
for entry in $libraries; do
	if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "${entry%%:*}"; then
		missing="$missing ${entry#*:}"
	fi
done

if [ -z "$missing" ]; then
	[ -n "$stamp" ] && mkdir -p "$(dirname "$stamp")" && touch "$stamp"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "nhiscan: missing build packages; install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 2
fi

echo "nhiscan: installing missing packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine are empty or stale, so refresh them first.
apt-get update -qq
# shellcheck disable=SC2086 # one word per package
apt-get install -y -qq --no-install-recommends $missing >&2
[ -n "$stamp" ] && mkdir -p "$(dirname "$stamp")" && touch "$stamp"
exit 0
