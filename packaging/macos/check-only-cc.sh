#!/bin/sh
# A stand-in C compiler for `cargo check --target aarch64-apple-darwin` on
# Linux: it writes an empty object wherever it is told to, so the bundled
# SQLite's build script finishes and the Rust code (the kiosk's macOS
# branches among it) is type-checked. Nothing is linked, and nothing built
# with it can run; compiling SQLite for macOS needs Apple's SDK.
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        -o) out=$2; shift ;;
        -o*) out=${1#-o} ;;
        -Fo*) out=${1#-Fo} ;;
    esac
    shift
done
if [ -n "$out" ]; then : >"$out"; fi
exit 0
