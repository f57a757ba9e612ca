"""scripts/setup.sh, the one set-up behind `make pdfs`, `make test` and .ci/run.

The script runs with a PATH that holds only small fake dpkg-query, apt-get and id commands, which
record how they were called: nothing is really installed, and each run takes milliseconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from guidepress.project import PROJECT_DIR

SCRIPT = PROJECT_DIR / "scripts" / "setup.sh"
BASH = shutil.which("bash") or "/bin/bash"
RUNTIME = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]
TESTING = RUNTIME + ["poppler-utils", "chromium"]

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
}


class Machine:
    """A fake Debian machine: which packages are installed, who runs the script."""

    def __init__(self, root: Path, installed: list[str], uid: int = 1000,
                 commands: tuple[str, ...] = tuple(FAKES)):
        self.bin = root / "bin"
        self.bin.mkdir()
        for name in commands:
            fake = self.bin / name
            fake.write_text(f"#!{BASH}\n{FAKES[name]}")
            fake.chmod(0o755)
        self.db = root / "dpkg-db"
        self.db.write_text(" ".join(installed))
        self.log = root / "calls"
        self.log.write_text("")
        self.env = {"PATH": str(self.bin), "FAKE_LOG": str(self.log), "FAKE_DB": str(self.db),
                    "FAKE_UID": str(uid), "VENV": str(root / "no-venv-yet")}

    def run(self, mode: str | None, **env: str) -> subprocess.CompletedProcess:
        argv = [BASH, str(SCRIPT)] + ([mode] if mode else [])
        return subprocess.run(argv, env={**self.env, **env}, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=30, cwd=self.bin.parent)

    def calls(self, command: str) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.startswith(command)]


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
        "libpangoft2-1.0-0 libharfbuzz-subset0', then 'make pdfs' again."]


def test_missing_as_root_installs_exactly_the_missing_packages_then_is_quiet(tmp_path):
    machine = Machine(tmp_path, ["libpango-1.0-0", "libpangoft2-1.0-0", "chromium"], uid=0)
    result = machine.run("test")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Installing system packages: libharfbuzz-subset0 poppler-utils\n"
    assert machine.calls("apt-get") == [
        "apt-get update -q DEBIAN_FRONTEND=noninteractive",
        "apt-get install -y -q --no-install-recommends libharfbuzz-subset0 poppler-utils "
        "DEBIAN_FRONTEND=noninteractive",
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
    assert lines[-3:] == ["bash scripts/setup.sh test", "make release", "make test"]
