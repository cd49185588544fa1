#!/bin/sh
# Download, verify and unpack the pinned tree-sitter grammars listed in grammars/manifest.txt.
#
# Usage: grammars/fetch.sh BUILD_DIR
#
# For each manifest line, this script fetches NAME@VERSION with `npm pack` into
# BUILD_DIR/grammars/dl/ and checks its sha256. A tarball that is already there is reused when its
# sha256 matches. The package is unpacked under BUILD_DIR/grammars/pkg/, and
# BUILD_DIR/grammars/src/<language> is made to point at the grammar's source folder, where
# grammars/grammars.mk compiles parser.c and scanner.c.
#
# src/<language> is a symbolic link into the unpacked package rather than a copy, because some
# scanners include files outside their own folder: tree-sitter-typescript's scanner.c includes
# ../../common/scanner.h.
#
# Exit status: 0 on success, 2 on any failure, with a one-line message on stderr.

set -eu
set -f # manifest fields are split with `set --`, which must not expand globs

die()
{
	printf 'grammars/fetch.sh: %s\n' "$*" >&2
	exit 2
}

# Print the file name that `npm pack` gives PACKAGE@VERSION: "@scope/name" becomes "scope-name".
tarball_name()
{
	name=${1#@}
	name=$(printf '%s' "$name" | tr / -)
	printf '%s-%s.tgz' "$name" "$2"
}

sha256_of()
{
	sha256sum "$1" | cut -d ' ' -f 1
}

check_manifest_line()
{
	language=$1
	sha=$4
	source_dir=$5

	case $language in
	'' | *[!a-z0-9_]*)
		die "$manifest:$line_number: invalid language name '$language'; use lower-case letters, digits and '_'"
		;;
	esac
	case $sha in
	*[!0-9a-f]*)
		die "$manifest:$line_number: invalid sha256 '$sha'; expected 64 lower-case hex digits"
		;;
	esac
	if [ ${#sha} -ne 64 ]; then
		die "$manifest:$line_number: invalid sha256 '$sha'; expected 64 lower-case hex digits"
	fi
	case $source_dir in
	/* | *..*)
		die "$manifest:$line_number: invalid source-dir '$source_dir'; expected a relative folder inside the package"
		;;
	esac
}

# Download SPEC into $dl_dir unless TARBALL is already there with sha256 EXPECTED, then check it.
download_tarball()
{
	spec=$1
	tarball=$2
	expected=$3
	log=${tarball%.tgz}.log

	if [ -f "$tarball" ] && [ "$(sha256_of "$tarball")" = "$expected" ]; then
		return 0
	fi

	printf 'grammars/fetch.sh: downloading %s\n' "$spec" >&2
	rm -f "$tarball"
	# npm runs in $dl_dir so that it writes the tarball there and never reads a package.json
	# of the folder it was started from. Standard input is closed because the caller reads the
	# manifest from it. With npm's default of two retries, an unreachable registry takes about
	# a minute to fail.
	if ! (cd "$dl_dir" && npm pack --loglevel=error --ignore-scripts "$spec") </dev/null >"$log" 2>&1; then
		if grep -q -e 'code E404' -e 'code ETARGET' "$log"; then
			die "'$spec' not found in the npm registry (log: $log); check its name and version in grammars/manifest.txt"
		fi
		die "failed to download '$spec' with npm pack (log: $log); check the network access to the npm registry"
	fi
	if [ ! -f "$tarball" ]; then
		die "npm pack did not write '$tarball' for '$spec' (log: $log); check the package name in grammars/manifest.txt"
	fi

	actual=$(sha256_of "$tarball")
	if [ "$actual" != "$expected" ]; then
		die "sha256 mismatch for '$spec': expected $expected, got $actual in '$tarball'; review the new version, then update its sha256 in grammars/manifest.txt"
	fi
}

# Unpack TARBALL into $pkg_dir once per run, because typescript and tsx share one tarball.
unpack_tarball()
{
	tarball=$1
	base=${tarball##*/}
	base=${base%.tgz}
	destination=$pkg_dir/$base

	if [ -d "$destination" ]; then
		return 0
	fi
	# Unpack into a temporary folder so that an interrupted run never leaves a partial package.
	# The prebuilt Node.js addons and WebAssembly builds are left out because nhiscan compiles
	# the C sources. They are about 60 MB of the 115 MB that the pinned packages unpack to.
	rm -rf "$destination.tmp"
	mkdir "$destination.tmp"
	if ! tar -xzf "$tarball" -C "$destination.tmp" --no-same-owner \
		--exclude='package/prebuilds' --exclude='package/*.wasm'; then
		die "failed to unpack '$tarball'; delete it and run grammars/fetch.sh again"
	fi
	mv "$destination.tmp" "$destination"
}

link_sources()
{
	language=$1
	spec=$2
	base=$3
	source_dir=$4
	link=$src_dir/$language

	if [ -e "$link" ] || [ -L "$link" ]; then
		die "$manifest:$line_number: language '$language' is listed twice; keep one line for it"
	fi
	ln -s "../pkg/$base/package/$source_dir" "$link"
	if [ ! -f "$link/parser.c" ]; then
		die "'$spec' has no $source_dir/parser.c; fix the source-dir of '$language' in grammars/manifest.txt"
	fi
}

fetch_grammar()
{
	check_manifest_line "$@"
	language=$1
	spec=$2@$3
	sha=$4
	source_dir=$5
	tarball=$dl_dir/$(tarball_name "$2" "$3")
	base=${tarball##*/}
	base=${base%.tgz}

	download_tarball "$spec" "$tarball" "$sha"
	unpack_tarball "$tarball"
	link_sources "$language" "$spec" "$base" "$source_dir"
}

if [ $# -ne 1 ] || [ -z "$1" ]; then
	die "usage: grammars/fetch.sh BUILD_DIR"
fi

manifest=$(cd "$(dirname "$0")" && pwd)/manifest.txt
root=$1/grammars
pkg_dir=$root/pkg
src_dir=$root/src
line_number=0

if [ ! -r "$manifest" ]; then
	die "manifest '$manifest' is missing or not readable"
fi
for tool in npm sha256sum tar; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		die "'$tool' not found; install it to fetch the tree-sitter grammars (Debian: apt-get install npm coreutils tar)"
	fi
done

mkdir -p "$root/dl"
dl_dir=$(cd "$root/dl" && pwd)
# Start from empty pkg/ and src/ so that no file of a previously pinned version survives.
rm -rf "$pkg_dir" "$src_dir"
mkdir -p "$pkg_dir" "$src_dir"

while IFS= read -r line || [ -n "$line" ]; do
	line_number=$((line_number + 1))
	line=${line%%#*}
	# shellcheck disable=SC2086 # splitting the line into its columns is the point
	set -- $line
	if [ $# -eq 0 ]; then
		continue
	fi
	if [ $# -ne 5 ]; then
		die "$manifest:$line_number: expected 5 columns (language npm-package version sha256 source-dir), found $#"
	fi
	fetch_grammar "$@"
done <"$manifest"
