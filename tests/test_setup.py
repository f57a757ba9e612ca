"""scripts/setup.sh, the one set-up behind `make pdfs`, `make test` and .ci/run.

The script runs with a PATH that holds only small fake dpkg-query, apt-get, id and npm commands,
which record how they were called, and the few real tools it uses to unpack and check the emoji
font: nothing is really installed, and each run takes milliseconds.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from guidepress.project import PROJECT_DIR

SCRIPT = PROJECT_DIR / "scripts" / "setup.sh"
BASH = shutil.which("bash") or "/bin/bash"
#: The emoji font the set-up installed into this checkout (make test runs the set-up first).
EMOJI = PROJECT_DIR / "styles" / "fonts" / "noto-emoji"
EMOJI_FILES = {"NotoEmoji-Regular.woff2": "package/files/noto-emoji-emoji-400-normal.woff2",
               "LICENSE": "package/LICENSE"}
#: The real commands the script uses besides the fakes.
TOOLS = ("sha256sum", "mktemp", "tar", "gzip", "mkdir", "mv", "rm", "cp", "cmp")
RUNTIME = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-noto-cjk"]
TESTING = RUNTIME + ["poppler-utils", "chromium"]
#: The CJK fonts the set-up copies from Debian's fonts-noto-cjk (small stand-ins here).
CJK_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "LICENSE")

# Each fake appends one line to $FAKE_LOG per call. dpkg-query reports the packages named in
# $FAKE_DB as installed; apt-get install adds its packages there, as the real one would.
FAKES = {
    "dpkg-query": r"""
echo "dpkg-query $*" >> "$FAKE_LOG"
shift 2  # -W -f=FORMAT
status=0
for package in "$@"; do
    case " $(< "$FAKE_DB") " in
        *" $package "*) printf '%s=installed ' "$package" ;;
        *) echo "dpkg-query: no packages found matching $package" >&2; status=1 ;;
    esac
done
exit $status
""",
    "apt-get": r"""
echo "apt-get $* DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-}" >> "$FAKE_LOG"
if [ -n "${FAKE_APT_FAILS:-}" ]; then echo "E: Unable to locate package $FAKE_APT_FAILS"; exit 100; fi
echo "Reading package lists..."
if [ "$1" = install ]; then
    shift
    for arg in "$@"; do
        case "$arg" in -*) ;; *) printf ' %s' "$arg" >> "$FAKE_DB" ;; esac
    done
fi
""",
    "id": r"""
echo "id $*" >> "$FAKE_LOG"
echo "$FAKE_UID"
""",
    "python3": r"""
exit "${FAKE_NO_ENSUREPIP:-0}"
""",
    # npm pack --silent --ignore-scripts --pack-destination DIR PACKAGE: copies $FAKE_TARBALL.
    "npm": r"""
echo "npm $*" >> "$FAKE_LOG"
if [ -n "${FAKE_NPM_FAILS:-}" ]; then echo "npm error code E404"; exit 1; fi
cp "$FAKE_TARBALL" "$5/fontsource-noto-emoji-5.3.2.tgz" && echo fontsource-noto-emoji-5.3.2.tgz
""",
}


def package_tarball(path: Path, damaged: bool = False) -> Path:
    """An npm package holding the installed emoji font's files where the real one has them."""
    with tarfile.open(path, "w:gz") as tar:
        for name, inside in EMOJI_FILES.items():
            data = (EMOJI / name).read_bytes() + (b"x" if damaged else b"")
            info = tarfile.TarInfo(inside)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


class Machine:
    """A fake Debian machine: which packages are installed, who runs the script."""

    def __init__(self, root: Path, installed: list[str], uid: int = 1000,
                 commands: tuple[str, ...] = tuple(FAKES), emoji: bool = True,
                 cjk: bool = True):
        self.bin = root / "bin"
        self.bin.mkdir(parents=True)
        for name in commands:
            fake = self.bin / name
            fake.write_text(f"#!{BASH}\n{FAKES[name]}")
            fake.chmod(0o755)
        for tool in TOOLS:
            (self.bin / tool).symlink_to(shutil.which(tool))
        if not (EMOJI / "LICENSE").is_file():
            pytest.skip("the emoji font is not installed: run 'bash scripts/setup.sh test'")
        self.fonts = root / "fonts" / "noto-emoji"
        if emoji:
            shutil.copytree(EMOJI, self.fonts)
        # Where the package puts the CJK fonts, and the build's folder for them.
        self.cjk_source = root / "usr-share-fonts"
        self.cjk_source.mkdir()
        for name in CJK_FILES:
            (self.cjk_source / name).write_bytes(f"stand-in for {name}".encode())
        self.cjk = root / "fonts" / "noto-cjk"
        if cjk:
            shutil.copytree(self.cjk_source, self.cjk)
        self.db = root / "dpkg-db"
        self.db.write_text(" ".join(installed))
        self.log = root / "calls"
        self.log.write_text("")
        self.env = {"PATH": str(self.bin), "FAKE_LOG": str(self.log), "FAKE_DB": str(self.db),
                    "FAKE_UID": str(uid), "VENV": str(root / "no-venv-yet"),
                    "EMOJI_FONT_DIR": str(self.fonts), "TMPDIR": str(root),
                    "CJK_FONT_DIR": str(self.cjk), "CJK_SOURCE_DIR": str(self.cjk_source),
                    "CJK_LICENCE": str(self.cjk_source / "LICENSE"),
                    "FAKE_TARBALL": str(package_tarball(root / "package.tgz"))}

    def run(self, mode: str | None, **env: str) -> subprocess.CompletedProcess:
        argv = [BASH, str(SCRIPT)] + ([mode] if mode else [])
        return subprocess.run(argv, env={**self.env, **env}, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=30, cwd=self.bin.parent)

    def calls(self, command: str) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.startswith(command)]

    def installed_font(self) -> dict[str, bytes]:
        """The files in the emoji font's folder."""
        if not self.fonts.is_dir():
            return {}
        return {p.name: p.read_bytes() for p in sorted(self.fonts.iterdir())}


@pytest.mark.parametrize("mode, installed", [("pdfs", RUNTIME), (None, RUNTIME), ("test", TESTING)])
@pytest.mark.parametrize("uid", [0, 1000])
def test_everything_installed_prints_nothing(tmp_path, mode, installed, uid):
    machine = Machine(tmp_path, installed, uid=uid)
    result = machine.run(mode)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert machine.calls("apt-get") == []
    # One dpkg-query for all the packages the mode needs, and only those.
    assert machine.calls("dpkg-query") == [
        "dpkg-query -W -f=${Package}=${db:Status-Status}  " + " ".join(installed)]


def test_missing_as_a_user_prints_the_one_sudo_line_and_stops(tmp_path):
    machine = Machine(tmp_path, RUNTIME)
    result = machine.run("test")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("Missing system packages: run 'sudo apt-get install -y "
                             "poppler-utils chromium', then 'make test' again.\n")
    assert machine.calls("apt-get") == []


def test_missing_runtime_names_make_pdfs(tmp_path):
    machine = Machine(tmp_path, [])
    result = machine.run("pdfs")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Missing system packages: run 'sudo apt-get install -y libpango-1.0-0 "
        "libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk', then 'make pdfs' again."]


def test_missing_as_root_installs_exactly_the_missing_packages_then_is_quiet(tmp_path):
    machine = Machine(tmp_path, ["libpango-1.0-0", "libpangoft2-1.0-0", "chromium"], uid=0)
    result = machine.run("test")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ("Installing system packages: libharfbuzz-subset0 fonts-noto-cjk "
                             "poppler-utils\n")
    assert machine.calls("apt-get") == [
        "apt-get update -q DEBIAN_FRONTEND=noninteractive",
        "apt-get install -y -q --no-install-recommends libharfbuzz-subset0 fonts-noto-cjk "
        "poppler-utils DEBIAN_FRONTEND=noninteractive",
    ]
    # Idempotent: the second run finds everything and says nothing.
    again = machine.run("test")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert len(machine.calls("apt-get")) == 2


def test_a_failing_apt_get_shows_its_output_and_stops(tmp_path):
    machine = Machine(tmp_path, [], uid=0)
    result = machine.run("pdfs", FAKE_APT_FAILS="libpango-1.0-0")
    assert result.returncode == 1
    assert "E: Unable to locate package libpango-1.0-0" in result.stderr
    assert result.stderr.splitlines()[-1] == "setup: 'apt-get update' failed (above); nothing was installed."
    assert len(machine.calls("apt-get")) == 1


@pytest.mark.parametrize("missing", ["dpkg-query", "apt-get"])
def test_not_debian_prints_one_line_naming_the_libraries(tmp_path, missing):
    machine = Machine(tmp_path, RUNTIME, commands=tuple(name for name in FAKES if name != missing))
    result = machine.run("pdfs")
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("guidepress needs Pango, PangoFT2 and HarfBuzz's subset library")
    assert "not Debian or Ubuntu" in line and "'GUIDEPRESS_NO_APT=1 make pdfs'" in line
    # ... and with the check switched off, make goes on.
    skipped = machine.run("pdfs", GUIDEPRESS_NO_APT="1")
    assert (skipped.returncode, skipped.stdout, skipped.stderr) == (0, "", "")


def test_not_debian_in_test_mode_also_names_poppler_and_chromium(tmp_path):
    machine = Machine(tmp_path, TESTING, commands=("id", "python3"))
    [line] = machine.run("test").stderr.splitlines()
    assert "pdftoppm" in line and "Chromium" in line and "'GUIDEPRESS_NO_APT=1 make test'" in line


def test_a_python_without_venv_support_asks_for_python3_venv(tmp_path):
    machine = Machine(tmp_path, RUNTIME)
    result = machine.run("pdfs", FAKE_NO_ENSUREPIP="1")
    assert result.stderr == ("Missing system packages: run 'sudo apt-get install -y "
                             "python3-venv', then 'make pdfs' again.\n")
    # Once .venv exists, python3-venv is no longer needed.
    (tmp_path / "no-venv-yet" / "bin").mkdir(parents=True)
    python = tmp_path / "no-venv-yet" / "bin" / "python"
    python.write_text("")
    python.chmod(0o755)
    assert machine.run("pdfs", FAKE_NO_ENSUREPIP="1").returncode == 0


def test_an_unknown_mode_is_a_usage_error(tmp_path):
    result = Machine(tmp_path, TESTING).run("everything")
    assert (result.returncode, result.stderr) == (2, "usage: scripts/setup.sh pdfs|test\n")


@pytest.mark.parametrize("target, mode, command", [
    ("pdfs", "pdfs", "build_pdfs.py build"),
    ("test", "test", "-m pytest"),
])
def test_make_runs_the_set_up_before_anything_else(target, mode, command):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    env = {key: value for key, value in os.environ.items()
           if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    dry_run = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=PROJECT_DIR,
                             env=env, capture_output=True, text=True, timeout=30,
                             check=True).stdout.splitlines()
    assert f"bash scripts/setup.sh {mode}" in dry_run[0]
    assert command in dry_run[-1]


def test_ci_runs_the_same_set_up_a_strict_release_build_then_make_test():
    lines = [line.split("#")[0].strip() for line in
             (PROJECT_DIR / ".ci" / "run").read_text().splitlines()
             if line and not line.startswith("#")]
    assert lines[-3:] == ["bash scripts/setup.sh test", "make release-candidate", "make test"]


# The emoji font: installed with npm, pinned by sha256, once.

def installed_line(machine: Machine) -> str:
    return ("Installing the emoji font: Noto Emoji (@fontsource/noto-emoji@5.3.2, SIL Open Font "
            f"License) into {machine.fonts}\n")


@pytest.mark.parametrize("uid", [0, 1000])
def test_a_missing_emoji_font_is_installed_from_the_pinned_package_then_is_quiet(tmp_path, uid):
    machine = Machine(tmp_path, RUNTIME, uid=uid, emoji=False)
    result = machine.run("pdfs")
    assert (result.returncode, result.stdout, result.stderr) == (0, installed_line(machine), "")
    [npm] = machine.calls("npm")
    assert re.fullmatch(rf"npm pack --silent --ignore-scripts --pack-destination {tmp_path}/"
                        r"tmp\.\w+ @fontsource/noto-emoji@5\.3\.2", npm)
    assert machine.installed_font() == {name: (EMOJI / name).read_bytes() for name in EMOJI_FILES}
    again = machine.run("test" if uid == 0 else "pdfs", GUIDEPRESS_NO_APT="1")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert len(machine.calls("npm")) == 1
    assert not list(tmp_path.glob("tmp.*"))  # its scratch folder is gone


def test_a_changed_font_file_is_installed_again(tmp_path):
    machine = Machine(tmp_path, RUNTIME)
    (machine.fonts / "NotoEmoji-Regular.woff2").write_bytes(b"not the pinned font")
    result = machine.run("pdfs")
    assert (result.returncode, result.stdout) == (0, installed_line(machine))
    assert machine.installed_font()["NotoEmoji-Regular.woff2"] == \
        (EMOJI / "NotoEmoji-Regular.woff2").read_bytes()


def test_a_package_with_other_bytes_installs_nothing(tmp_path):
    machine = Machine(tmp_path, RUNTIME, emoji=False)
    damaged = package_tarball(tmp_path / "damaged.tgz", damaged=True)
    result = machine.run("pdfs", FAKE_TARBALL=str(damaged))
    assert result.returncode == 1
    assert result.stderr == ("setup: @fontsource/noto-emoji@5.3.2 holds other files than the "
                             "pinned ones (sha256 differs); the emoji font was not installed.\n")
    assert machine.installed_font() == {}


def test_a_failing_npm_shows_its_output_and_stops(tmp_path):
    machine = Machine(tmp_path, RUNTIME, emoji=False)
    result = machine.run("pdfs", FAKE_NPM_FAILS="1")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "npm error code E404",
        "setup: 'npm pack @fontsource/noto-emoji@5.3.2' failed (above); the emoji font was not "
        "installed."]
    assert machine.installed_font() == {}


def test_without_npm_npm_is_a_system_package_to_install(tmp_path):
    commands = tuple(name for name in FAKES if name != "npm")
    user = Machine(tmp_path / "user", RUNTIME, commands=commands, emoji=False)
    assert user.run("pdfs").stderr == ("Missing system packages: run 'sudo apt-get install -y "
                                       "npm', then 'make pdfs' again.\n")
    root = Machine(tmp_path / "root", RUNTIME, uid=0, commands=commands, emoji=False)
    result = root.run("pdfs")
    assert result.stdout.splitlines()[0] == "Installing system packages: npm"
    assert root.calls("apt-get")[-1] == ("apt-get install -y -q --no-install-recommends npm "
                                         "DEBIAN_FRONTEND=noninteractive")
    # The fake apt-get installs no npm command: the script says what is still missing.
    assert result.returncode == 1
    assert "the emoji font is installed with npm, which is missing" in result.stderr
    # With the font there, npm is not needed.
    assert Machine(tmp_path / "font", RUNTIME, commands=commands).run("pdfs").returncode == 0


def test_the_pinned_hashes_are_those_of_the_installed_font():
    script = SCRIPT.read_text()
    for name, variable in (("NotoEmoji-Regular.woff2", "emoji_sha256"),
                           ("LICENSE", "licence_sha256")):
        pinned = re.search(rf"^{variable}=([0-9a-f]{{64}})$", script, re.M).group(1)
        assert hashlib.sha256((EMOJI / name).read_bytes()).hexdigest() == pinned
    assert "SIL OPEN FONT LICENSE Version 1.1" in (EMOJI / "LICENSE").read_text()


# The CJK fonts: Debian's fonts-noto-cjk, copied into the one folder the build reads.

def copied_line(machine: Machine) -> str:
    return ("Copying the CJK fonts: Noto Sans CJK (fonts-noto-cjk, SIL Open Font License) into "
            f"{machine.cjk}\n")


def copied(machine: Machine) -> dict[str, bytes]:
    if not machine.cjk.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(machine.cjk.iterdir())}


@pytest.mark.parametrize("no_apt", ["", "1"])
def test_the_cjk_fonts_are_copied_from_their_package_then_it_is_quiet(tmp_path, no_apt):
    machine = Machine(tmp_path, RUNTIME, cjk=False)
    result = machine.run("pdfs", GUIDEPRESS_NO_APT=no_apt)
    assert (result.returncode, result.stdout, result.stderr) == (0, copied_line(machine), "")
    assert copied(machine) == {name: (machine.cjk_source / name).read_bytes()
                               for name in CJK_FILES}
    again = machine.run("pdfs", GUIDEPRESS_NO_APT=no_apt)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_a_cjk_font_that_differs_from_the_package_s_is_copied_again(tmp_path):
    machine = Machine(tmp_path, RUNTIME)
    (machine.cjk_source / "NotoSansCJK-Bold.ttc").write_bytes(b"a newer package")
    result = machine.run("pdfs")
    assert (result.returncode, result.stdout) == (0, copied_line(machine))
    assert copied(machine)["NotoSansCJK-Bold.ttc"] == b"a newer package"
    assert not list(machine.cjk.glob(".*.new"))


def test_a_package_without_the_expected_files_says_what_to_do(tmp_path):
    machine = Machine(tmp_path, RUNTIME, cjk=False)
    (machine.cjk_source / "NotoSansCJK-Regular.ttc").unlink()
    result = machine.run("pdfs")
    assert result.returncode == 1
    assert result.stderr == (
        f"setup: fonts-noto-cjk is installed but {machine.cjk_source}/NotoSansCJK-Regular.ttc "
        "is missing: reinstall it ('sudo apt-get install --reinstall fonts-noto-cjk'), or set "
        "CJK_SOURCE_DIR to the folder that has it, then run 'make pdfs' again.\n")
    assert copied(machine) == {}


def test_without_the_package_and_without_apt_the_cjk_fonts_are_left_out(tmp_path):
    """GUIDEPRESS_NO_APT: a machine with no CJK fonts still builds everything else (check
    names the package when a guide needs them)."""
    machine = Machine(tmp_path, RUNTIME, cjk=False)
    shutil.rmtree(machine.cjk_source)
    result = machine.run("pdfs", GUIDEPRESS_NO_APT="1")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
