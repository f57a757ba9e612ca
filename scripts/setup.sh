#!/usr/bin/env bash
# Install the system packages that `make pdfs` or `make test` needs, on Debian or Ubuntu.
#
#   scripts/setup.sh pdfs   Pango, PangoFT2 and HarfBuzz's subset library (for WeasyPrint)
#   scripts/setup.sh test   the same, plus poppler-utils (pdftoppm, pdftotext) and Chromium
#
# Used by the Makefile's `pdfs` and `test` targets and by .ci/run. It prints nothing when
# everything is installed. When something is missing, as root it installs it with apt-get (one
# line says what); as any other user it prints the one `sudo apt-get install` line to run and
# exits 1, so that make stops before anything else. On a system without dpkg-query and apt-get
# it names the libraries needed and exits 1; set GUIDEPRESS_NO_APT=1 to skip this check there
# once they are installed.
#
# Environment: PYTHON (default python3) is checked for `python3 -m venv` when VENV (default
# .venv) does not exist yet; on Debian that needs the python3-venv package.
set -uo pipefail

mode=${1:-pdfs}
case "$mode" in
    pdfs) packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
          needs="Pango, PangoFT2 and HarfBuzz's subset library (libharfbuzz-subset)" ;;
    test) packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils chromium)
          needs="Pango, PangoFT2, HarfBuzz's subset library (libharfbuzz-subset), poppler's pdftoppm and pdftotext, and Chromium" ;;
    *) echo "usage: scripts/setup.sh pdfs|test" >&2; exit 2 ;;
esac
again="make $mode"
[ "${GUIDEPRESS_NO_APT:-}" = 1 ] && exit 0

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "guidepress needs $needs; this is not Debian or Ubuntu (no dpkg-query or apt-get), so install them with your system's package manager, then run 'GUIDEPRESS_NO_APT=1 $again'." >&2
    exit 1
fi

# Which of the packages are installed: one dpkg-query for all of them ("<name> installed").
installed=" $(dpkg-query -W -f='${Package}=${db:Status-Status} ' "${packages[@]}" 2>/dev/null) "
missing=()
for package in "${packages[@]}"; do
    case "$installed" in
        *" $package=installed "*) ;;
        *) missing+=("$package") ;;
    esac
done

# `python3 -m venv` needs ensurepip, which Debian ships in python3-venv.
venv=${VENV:-.venv}
python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ] && ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=(python3-venv)
fi

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "Missing system packages: run 'sudo apt-get install -y ${missing[*]}', then '$again' again." >&2
    exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# apt-get's output is shown only when it fails.
if ! output=$(apt-get update -q 2>&1); then
    printf '%s\n' "$output" >&2
    echo "setup: 'apt-get update' failed (above); nothing was installed." >&2
    exit 1
fi
if ! output=$(apt-get install -y -q --no-install-recommends "${missing[@]}" 2>&1); then
    printf '%s\n' "$output" >&2
    echo "setup: 'apt-get install -y ${missing[*]}' failed (above)." >&2
    exit 1
fi
