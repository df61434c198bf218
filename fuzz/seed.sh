#!/bin/sh
# Writes the seed corpora to fuzz/seeds/<target>/ from the shipped library and
# the golden vectors. Run from the repository root after `cargo build -p kiosk`.
set -eu
cli=target/debug/rubric-kiosk
out=fuzz/seeds
rm -rf "$out"
mkdir -p "$out/bundle_decode" "$out/score_answers" "$out/compile_source" "$out/answer_file" "$out/plan_source"

# bundle_decode: the golden (signed) library, one unsigned bundle per rubric,
# and each of those bundles' bare payloads (the target wraps input that does
# not start with the magic in a valid container).
cp tests/golden/library.rbk "$out/bundle_decode/library.rbk"
for toml in rubrics/library/*.toml; do
    name=$(basename "$toml" .toml)
    "$cli" compile "$toml" -o "$out/bundle_decode/$name.rbk" > /dev/null
done
cp rubrics/library/*.toml "$out/compile_source/"
# plan_source: the shipped plans, as sources and as signed and unsigned bundles.
cp rubrics/plans/*.toml "$out/plan_source/"
for toml in rubrics/plans/*.toml; do
    name=$(basename "$toml" .toml)
    "$cli" plan compile "$toml" -o "$out/plan_source/$name.rbp" > /dev/null
done

python3 - "$out" <<'PY'
import json, os, random, struct, sys
out = sys.argv[1]
# Bare payloads: the bytes between the 12-byte header and the CRC.
for name in sorted(os.listdir(f"{out}/bundle_decode")):
    data = open(f"{out}/bundle_decode/{name}", "rb").read()
    if name == "library.rbk":
        continue
    (length,) = struct.unpack_from("<I", data, 8)
    open(f"{out}/bundle_decode/{name[:-4]}.payload", "wb").write(data[12:12 + length])
# answer_file: one file per golden case.
for case in json.load(open("tests/golden/cases.json")):
    with open(f"{out}/answer_file/{case['name']}.json", "w") as f:
        json.dump(case["answers"], f, indent=1)
# score_answers: per rubric of the library (15 of them), answers fitting each
# item, then a few flow steps.
rng = random.Random(12)
for rubric in range(15):
    for n in range(2):
        body = bytes([rubric]) + bytes(rng.randrange(0, 128) if i % 3 == 0 else rng.randrange(256) for i in range(3 * 40))
        body += bytes(rng.randrange(256) for _ in range(24))
        open(f"{out}/score_answers/rubric-{rubric:02}-{n}.bin", "wb").write(body)
PY
# The complete example of rubrics/FORMAT.md.
awk '/^## A complete example/{on=1} on && /^```toml/{grab=1; next} grab && /^```/{exit} grab' \
    rubrics/FORMAT.md > "$out/compile_source/format-example.toml"
# import_file and phone_post: real export files and byte patterns.
cargo run -q -p cross-crate-checks --bin kiosk-fuzz-seeds -- "$out"
# sheet_file: the shipped rubrics as .xlsx, the .ods fixtures, and single
# parts of a spreadsheet (tests/src/sheet_fuzzing.rs).
cargo run -q -p cross-crate-checks --bin sheet-fuzz-seeds -- "$out"
ls "$out"/* | wc -l
