#!/usr/bin/env bash
# Builds the Debian package of rubric-kiosk with cargo-deb: the release
# binary, the desktop entry, the icon, and the man pages generated from the
# command line's own definitions (kiosk/examples/man.rs). Prints the path
# of the .deb on its last line.
#
#   packaging/deb.sh               the release build, to hand out
#   PROFILE=dev packaging/deb.sh   the debug build the tests already made,
#                                  stripped (what CI installs and starts)
#
# Needs cargo-deb: cargo install cargo-deb --locked
set -euo pipefail
cd "$(dirname "$0")/.."

man=packaging/out/man
rm -rf "$man"
cargo run -q -p kiosk --example man -- "$man" >&2
gzip -9n "$man"/*.1
cargo deb -p kiosk --profile "${PROFILE:-release}"
