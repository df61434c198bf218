#!/usr/bin/env bash
# Runs the Windows build of rubric-kiosk under Wine, through its command
# line: compile, inspect, keygen, sign, verify, score, session create and
# list, the default data folder, export and import both ways with the Linux
# build, media scan --media-root with the scan's limits and refusals, and
# the window's first frame under Xvfb.
# Every file lives under folders whose names have spaces and non-ASCII
# letters, passed as Windows paths (Z:\ is Wine's view of /).
#
#   packaging/windows-check.sh RUBRIC-KIOSK.EXE LINUX-RUBRIC-KIOSK
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
exe=$(realpath "$1")
linux=$(realpath "$2")

export LC_ALL=C.UTF-8 WINEDEBUG=-all
work=$(mktemp -d)
export WINEPREFIX="$work/wine prefix"
trap 'wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT

dir="$work/Équipe offsite/données été"
mkdir -p "$dir"
win() { printf 'Z:%s' "${1//\//\\}"; }
kiosk() { wine "$exe" "$@" | tr -d '\r'; }
fail() { printf 'FAIL: %s\n%s\n' "$1" "$2" >&2; exit 1; }
expect() { # OUTPUT TEXT WHAT
    grep -qF -- "$2" <<<"$1" || fail "$3: no “$2” in the output" "$1"
}

step() { printf -- '--- %s\n' "$*"; }

step "a Wine prefix, with ProcessPrng (Debian's Wine 8 has no bcryptprimitives.dll)"
wineboot -i >/dev/null 2>&1
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    "$repo/packaging/wine/bcryptprimitives.c" "$repo/packaging/wine/bcryptprimitives.def" -lbcrypt

step "the program starts and names its version"
out=$(kiosk --version)
expect "$out" "rubric-kiosk 0." "--version"

step "compile, inspect"
out=$(kiosk compile "$(win "$repo/rubrics/library")" -o "$(win "$dir/bibliothèque.rbk")")
expect "$out" "compiled" "compile"
[ -s "$dir/bibliothèque.rbk" ] || fail "compile" "no bundle written"
out=$(kiosk inspect "$(win "$dir/bibliothèque.rbk")")
expect "$out" "cross-team-gut-check" "inspect"

step "keygen, sign, verify"
kiosk keygen -o "$(win "$dir/clé auteur.key")" >/dev/null
[ -s "$dir/clé auteur.key.pub" ] || fail "keygen" "no public key written"
kiosk sign "$(win "$dir/bibliothèque.rbk")" --key "$(win "$dir/clé auteur.key")" \
    -o "$(win "$dir/signée.rbk")" >/dev/null
out=$(kiosk verify "$(win "$dir/signée.rbk")" --trust "$(win "$dir/clé auteur.key.pub")")
expect "$out" "intact and signed by trusted key" "verify"
# The same bytes on both systems: the Linux build verifies the Windows signature.
out=$("$linux" verify "$dir/signée.rbk" --trust "$dir/clé auteur.key.pub")
expect "$out" "intact and signed by trusted key" "verify on Linux"

step "score"
printf '%s' '{"optional-meetings": true, "know-other-teams": true, "pulled-in": false, "outside-opinions": false}' \
    >"$dir/réponses.json"
score=$(kiosk score "$(win "$dir/bibliothèque.rbk")" --rubric cross-team-gut-check \
    --answers "$(win "$dir/réponses.json")" --json)
expect "$score" '"verdict": "beyond-team"' "score"
[ "$score" = "$("$linux" score "$dir/bibliothèque.rbk" --rubric cross-team-gut-check \
    --answers "$dir/réponses.json" --json)" ] || fail "score" "Windows and Linux results differ"

step "session create and list, in a data folder with spaces and accents"
data="$dir/données kiosque"
id=$(kiosk --data-dir "$(win "$data")" session create --name "Journée 1" --rubric want-the-work)
out=$(kiosk --data-dir "$(win "$data")" session list)
expect "$out" "$id" "session list"
expect "$out" "Journée 1" "session list"

step "the default data folder is the roaming application data folder"
kiosk session list >/dev/null
default="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Roaming/Rubric Kiosk/rubric-kiosk/data/results.sqlite3"
[ -f "$default" ] || fail "default data folder" "no $default"

step "export and import, both ways with the Linux build"
linux_data="$work/linux données"
mkdir -p "$linux_data"
# Six results at the library's current versions (examples/demo_session.rs,
# built beside the Linux binary by `cargo test`): a saved database of an
# older release would hold versions a newer kiosk refuses to merge.
fixture=$("$linux" --data-dir "$linux_data" session create --name "Journée démo" \
    --rubric want-the-work --min-group 3 | tr -d '[:space:]')
"$(dirname "$linux")/examples/demo_session" "$linux_data" "$fixture" want-the-work 6 >/dev/null
"$linux" --data-dir "$linux_data" export --session "$fixture" --format merge -o "$dir/fusion linux.json" >/dev/null
out=$(kiosk --data-dir "$(win "$data")" import "$(win "$dir/fusion linux.json")")
expect "$out" "6 added, 0 already present, 0 rejected" "import on Windows"
out=$(kiosk --data-dir "$(win "$data")" import "$(win "$dir/fusion linux.json")")
expect "$out" "0 added, 6 already present, 0 rejected" "second import on Windows"
kiosk --data-dir "$(win "$data")" export --session "$fixture" --format merge \
    -o "$(win "$dir/fusion windows.json")" >/dev/null
out=$("$linux" --data-dir "$work/linux again" import "$dir/fusion windows.json")
expect "$out" "6 added, 0 already present, 0 rejected" "import on Linux"
[ "$(kiosk --data-dir "$(win "$data")" report --session "$fixture" --json)" = \
  "$("$linux" --data-dir "$work/linux again" report --session "$fixture" --json)" ] ||
    fail "report" "the group figures differ between Windows and Linux"
kiosk --data-dir "$(win "$data")" export --session "$fixture" --format csv \
    -o "$(win "$dir/résultats.csv")" >/dev/null
[ -s "$dir/résultats.csv" ] || fail "export csv" "no file written"

step "media scan --media-root: a stick with a bundle, a file too large, a folder named .rbk"
stick="$work/CLÉ USB"
mkdir -p "$stick/rubrics" "$stick/dossier.rbk"
cp "$dir/signée.rbk" "$stick/rubrics/"
head -c 3000000 /dev/zero >"$stick/énorme.rbk"
out=$(kiosk --data-dir "$(win "$data")" media scan --no-system --media-root "$(win "$stick")")
expect "$out" "drive CLÉ USB at $(win "$stick")" "media scan"
expect "$out" "signée.rbk" "media scan"
expect "$out" "3000000 bytes" "media scan: the file over the limit"
expect "$out" "a folder" "media scan: the folder named .rbk"
linux_out=$("$linux" --data-dir "$linux_data" media scan --no-system --media-root "$stick")
for line in "3000000 bytes" "a folder"; do
    expect "$linux_out" "$line" "media scan on Linux"
done

step "media scan of the system's drives: Wine's letters are fixed disks, so none"
out=$(kiosk --data-dir "$(win "$data")" media scan)
expect "$out" "no drives found" "media scan of system drives"
step "the window under Xvfb: first frame, clean exit"
# Wine's server and desktop started above without a display; a new one
# starts with Xvfb's.
wineserver -k 2>/dev/null || true
log="$work/app.log"
timeout 180 xvfb-run -a -s "-screen 0 1280x900x24" \
    wine "$exe" --data-dir "$(win "$data")" --exit-after-first-frame 2>"$log" || fail "window" "$(cat "$log")"
cat "$log"
grep -q 'first frame drawn' "$log" || fail "window" "no first frame"
if grep -E ' (ERROR|WARN) ' "$log"; then fail "window" "an error or warning on a clean start"; fi
echo "windows-check: all passed"
