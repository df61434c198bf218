#!/usr/bin/env bash
# Installs a rubric-kiosk .deb with dpkg -i, checks what it put where,
# starts the installed app under Xvfb (first frame, clean exit) and removes
# the package, checking that nothing of it is left. Needs root.
#
#   packaging/deb-check.sh rubric-kiosk_VERSION_amd64.deb
set -euo pipefail
deb=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

dpkg-deb --info "$deb"
dpkg-deb --contents "$deb"
printf 'package size: %s bytes (%s KiB installed)\n' "$(stat -c %s "$deb")" \
    "$(dpkg-deb --field "$deb" Installed-Size)"
desktop-file-validate packaging/rubric-kiosk.desktop

dpkg -i "$deb"
files=(/usr/bin/rubric-kiosk
    /usr/share/applications/rubric-kiosk.desktop
    /usr/share/icons/hicolor/scalable/apps/rubric-kiosk.svg
    /usr/share/man/man1/rubric-kiosk.1.gz
    /usr/share/man/man1/rubric-kiosk-compile.1.gz)
for f in "${files[@]}"; do
    [ -f "$f" ] || fail "the package did not install $f"
done
zcat /usr/share/man/man1/rubric-kiosk.1.gz | grep -q '^\.SH' || fail "the man page is not roff"
[ "$(command -v rubric-kiosk)" = /usr/bin/rubric-kiosk ] || fail "rubric-kiosk is not the installed one on the PATH"

data=$(mktemp -d)
log="$data/app.log"
timeout 120 xvfb-run -a -s "-screen 0 1280x900x24" \
    rubric-kiosk --data-dir "$data/données" --exit-after-first-frame 2>"$log" ||
    { cat "$log"; fail "the installed app did not start"; }
cat "$log"
grep -q 'first frame drawn' "$log" || fail "the installed app drew no first frame"
if grep -E ' (ERROR|WARN) ' "$log"; then fail "the installed app logged an error or warning"; fi
rubric-kiosk --data-dir "$data/données" session list | grep -q 'no workshop sessions' ||
    fail "the installed command line does not answer"
rm -rf "$data"

dpkg -r rubric-kiosk
for f in "${files[@]}"; do
    [ ! -e "$f" ] || fail "dpkg -r left $f"
done
dpkg -s rubric-kiosk 2>/dev/null | grep -q '^Status: install' && fail "still installed"
echo "deb-check: installed, started and removed"
