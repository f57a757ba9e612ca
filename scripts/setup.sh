#!/usr/bin/env bash
# Install the system packages that `make pdfs` or `make test` needs, on Debian or Ubuntu, and
# the emoji font.
#
#   scripts/setup.sh pdfs   Pango, PangoFT2 and HarfBuzz's subset library (for WeasyPrint)
#   scripts/setup.sh test   the same, plus poppler-utils (pdftoppm, pdftotext) and Chromium
#
# Both also install Debian's fonts-noto-cjk (Noto Sans CJK, SIL Open Font License, for
# Japanese, Chinese and Korean) and copy its Sans Regular and Bold collections, with the
# package's copyright file, into styles/fonts/noto-cjk/, the only folder the build reads them
# from; a copy is made again only when its bytes differ from the package's.
#
# Both then install the emoji font, Noto Emoji (SIL Open Font License), into
# styles/fonts/noto-emoji/ with its licence: from the npm package pinned below, with npm, and
# only when the file there is not exactly the pinned one (its sha256), so that every machine
# builds the same bytes. Without npm, npm is one of the system packages to install.
#
# Used by the Makefile's `pdfs` and `test` targets and by .ci/run. It prints nothing when
# everything is installed. When something is missing, as root it installs it with apt-get (one
# line says what); as any other user it prints the one `sudo apt-get install` line to run and
# exits 1, so that make stops before anything else. On a system without dpkg-query and apt-get
# it names the libraries needed and exits 1; set GUIDEPRESS_NO_APT=1 to skip this check there
# once they are installed.
#
# Environment: PYTHON (default python3) is checked for `python3 -m venv` when VENV (default
# .venv) does not exist yet; on Debian that needs the python3-venv package. EMOJI_FONT_DIR
# (default styles/fonts/noto-emoji beside this script) is where the emoji font goes;
# CJK_FONT_DIR (default styles/fonts/noto-cjk) where the CJK fonts are copied, from
# CJK_SOURCE_DIR (default /usr/share/fonts/opentype/noto, where the package puts them).
set -uo pipefail

# The emoji font: Fontsource's build of Google's Noto Emoji (monochrome outlines), whose
# "emoji" file is the whole font, ZWJ sequences included. The sha256 of the two files the
# build reads pin it; npm checks the package it downloads against the registry's own hash.
emoji_package=@fontsource/noto-emoji@5.3.2
emoji_source=package/files/noto-emoji-emoji-400-normal.woff2
emoji_file=NotoEmoji-Regular.woff2
emoji_sha256=2834418a0bad2a7cf50ddd4dbec1e8856934f9900161ec44f3aa58c9ed1ee80d
licence_sha256=6498c6116beda77c35a13f6d08547659c39a0602e01b4ff338bb97b0c956a2bd
case "$0" in */*) here=${0%/*}/.. ;; *) here=.. ;; esac
here=$(cd "$here" && pwd)
emoji_dir=${EMOJI_FONT_DIR:-$here/styles/fonts/noto-emoji}
cjk_dir=${CJK_FONT_DIR:-$here/styles/fonts/noto-cjk}
cjk_source=${CJK_SOURCE_DIR:-/usr/share/fonts/opentype/noto}
cjk_licence=${CJK_LICENCE:-/usr/share/doc/fonts-noto-cjk/copyright}
cjk_files=(NotoSansCJK-Regular.ttc NotoSansCJK-Bold.ttc)

mode=${1:-pdfs}
case "$mode" in
    pdfs) packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
          needs="Pango, PangoFT2 and HarfBuzz's subset library (libharfbuzz-subset)" ;;
    test) packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils chromium)
          needs="Pango, PangoFT2, HarfBuzz's subset library (libharfbuzz-subset), poppler's pdftoppm and pdftotext, and Chromium" ;;
    *) echo "usage: scripts/setup.sh pdfs|test" >&2; exit 2 ;;
esac
again="make $mode"

# True when $1 has the sha256 $2.
has_sha256() {
    local sum _
    read -r sum _ < <(sha256sum "$1" 2>/dev/null) && [ "$sum" = "$2" ]
}

emoji_installed() {
    has_sha256 "$emoji_dir/$emoji_file" "$emoji_sha256" &&
        has_sha256 "$emoji_dir/LICENSE" "$licence_sha256"
}

# Download the pinned package with npm, check both files and move them into place; one line
# says so, npm's and tar's output is shown only when they fail.
install_emoji_font() {
    local shown=${emoji_dir#"$here/"} output
    if ! command -v npm >/dev/null 2>&1; then
        echo "setup: the emoji font is installed with npm, which is missing: install npm (on Debian or Ubuntu 'sudo apt-get install -y npm'), then run '$again' again." >&2
        return 1
    fi
    echo "Installing the emoji font: Noto Emoji ($emoji_package, SIL Open Font License) into $shown"
    tmp=$(mktemp -d) || return 1  # global: the EXIT trap removes it
    trap 'rm -rf "$tmp"' EXIT
    if ! output=$(npm pack --silent --ignore-scripts --pack-destination "$tmp" "$emoji_package" 2>&1); then
        printf '%s\n' "$output" >&2
        echo "setup: 'npm pack $emoji_package' failed (above); the emoji font was not installed." >&2
        return 1
    fi
    local tarball=("$tmp"/*.tgz)
    if ! output=$(tar -xzf "${tarball[0]}" -C "$tmp" package/LICENSE "$emoji_source" 2>&1); then
        printf '%s\n' "$output" >&2
        echo "setup: $emoji_package could not be unpacked (above); the emoji font was not installed." >&2
        return 1
    fi
    if ! has_sha256 "$tmp/$emoji_source" "$emoji_sha256" || ! has_sha256 "$tmp/package/LICENSE" "$licence_sha256"; then
        echo "setup: $emoji_package holds other files than the pinned ones (sha256 differs); the emoji font was not installed." >&2
        return 1
    fi
    # Each file is renamed into place whole, so a stop halfway leaves no damaged font.
    mkdir -p "$emoji_dir" &&
        mv "$tmp/package/LICENSE" "$emoji_dir/.LICENSE.new" &&
        mv "$tmp/$emoji_source" "$emoji_dir/.$emoji_file.new" &&
        mv "$emoji_dir/.LICENSE.new" "$emoji_dir/LICENSE" &&
        mv "$emoji_dir/.$emoji_file.new" "$emoji_dir/$emoji_file" || {
        echo "setup: cannot write the emoji font into $shown." >&2
        return 1
    }
}

# True when every CJK font (and the licence) in the build's folder is the package's, byte for byte.
cjk_copied() {
    local name
    for name in "${cjk_files[@]}"; do
        cmp -s "$cjk_source/$name" "$cjk_dir/$name" || return 1
    done
    cmp -s "$cjk_licence" "$cjk_dir/LICENSE"
}

# Copy the package's CJK fonts into the build's folder, each renamed into place whole.
copy_cjk_fonts() {
    local shown=${cjk_dir#"$here/"} name
    for name in "${cjk_files[@]}"; do
        if [ ! -f "$cjk_source/$name" ]; then
            echo "setup: fonts-noto-cjk is installed but $cjk_source/$name is missing: reinstall it ('sudo apt-get install --reinstall fonts-noto-cjk'), or set CJK_SOURCE_DIR to the folder that has it, then run '$again' again." >&2
            return 1
        fi
    done
    echo "Copying the CJK fonts: Noto Sans CJK (fonts-noto-cjk, SIL Open Font License) into $shown"
    mkdir -p "$cjk_dir" || { echo "setup: cannot write the CJK fonts into $shown." >&2; return 1; }
    for name in "${cjk_files[@]}" LICENSE; do
        local from=$cjk_source/$name
        [ "$name" = LICENSE ] && from=$cjk_licence
        cmp -s "$from" "$cjk_dir/$name" && continue
        cp "$from" "$cjk_dir/.$name.new" && mv "$cjk_dir/.$name.new" "$cjk_dir/$name" || {
            rm -f "$cjk_dir/.$name.new"
            echo "setup: cannot write the CJK fonts into $shown." >&2
            return 1
        }
    done
}

# The fonts: the CJK ones from their package, then the emoji font with npm.
install_fonts() {
    if ! cjk_copied; then
        copy_cjk_fonts || return 1
    fi
    emoji_installed || install_emoji_font
}

# Without npm the font cannot be fetched: npm joins the system packages to install.
need_npm=0
if ! emoji_installed && ! command -v npm >/dev/null 2>&1; then
    need_npm=1
fi

if [ "${GUIDEPRESS_NO_APT:-}" = 1 ]; then
    # Without Debian's package the CJK fonts are copied when CJK_SOURCE_DIR has them.
    if [ -f "$cjk_source/${cjk_files[0]}" ] && ! cjk_copied; then
        copy_cjk_fonts || exit 1
    fi
    emoji_installed || install_emoji_font
    exit
fi

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
[ "$need_npm" = 1 ] && missing+=(npm)

if [ "${#missing[@]}" -eq 0 ]; then
    install_fonts
    exit
fi

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

install_fonts
