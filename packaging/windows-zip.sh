#!/usr/bin/env bash
# Builds rubric-kiosk for 64-bit Windows (x86_64-pc-windows-gnu, with
# Debian's mingw-w64) and puts the .exe, stripped, and a short README for facilitators
# in a zip. Prints the path of the zip on its last line.
#
#   packaging/windows-zip.sh            the release build, to hand out
#   PROFILE=dev packaging/windows-zip.sh   a debug build (what CI checks, in
#                                          a third of the time)
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-pc-windows-gnu
profile=${PROFILE:-release}
cargo build --profile "$profile" -p kiosk --bin rubric-kiosk --target "$target" >&2
target_dir=$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
version=$(sed -n 's/^version = "\(.*\)"/\1/p' kiosk/Cargo.toml | head -1)
name="rubric-kiosk-$version-windows-x64"
if [ "$profile" != release ]; then name="$name-$profile"; fi
stage="$target_dir/packaging/$name"
rm -rf "$stage" "$stage.zip"
mkdir -p "$stage"
out_dir=$profile
if [ "$profile" = dev ]; then out_dir=debug; fi # Cargo's name for the dev profile's folder
cp "$target_dir/$target/$out_dir/rubric-kiosk.exe" "$stage/"
# Symbols are for debuggers, not for facilitators (cargo-deb strips too).
x86_64-w64-mingw32-strip "$stage/rubric-kiosk.exe"
# Windows' Notepad reads either line ending; CRLF keeps older editors happy.
sed 's/$/\r/' packaging/windows/README.txt >"$stage/README.txt"
(cd "$stage/.." && zip -q -9 -r "$name.zip" "$name")
echo "$stage.zip"
