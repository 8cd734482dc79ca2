"""`tumorboard check` names the file and line of every problem a curator can make."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.samples import STUDY, write_study
from tumorboard.cli import main


def line_of(text: str, fragment: str) -> int:
    """The line of the last occurrence (a duplicate is reported where it repeats)."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert found, f"{fragment!r} not in the study text"
    return found[-1]


def run_check(seeds: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--seeds", str(seeds)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_valid_seeds_pass(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(mini_seeds, STUDY)
    code, out = run_check(mini_seeds, capsys)
    assert code == 0, out
    assert out.startswith("ok:")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('{measure: orr, value: "40"}', '{measure: orr, value: "140"}', "outside 0-100"),
        ('{measure: orr, value: "40"}', "{measure: orr, value: {a: b}}", "must be a printed value, not a mapping"),
        ('{measure: orr, value: "40"}', '{measure: orr, value: "forty"}', "is not a printed number"),
        ('value: "0.34"', 'value: "-0.5"', "is not a printed number"),
        ('value: "0.34"', 'value: "0"', "must be above 0"),
        ("{drug: everolimus, dose: 10 mg}", "{drug: evrolimus, dose: 10 mg}", "unknown drug 'evrolimus'"),
        ("ae: stomatitis,", "ae: stomatits,", "unknown adverse-event term 'stomatits'"),
        ("diseases: [pnet]", "diseases: [pnett]", "unknown disease 'pnett'"),
        ("source: cmr2017", "source: nosuchsource", "unknown source 'nosuchsource'"),
        ("phase: \"3\"", "phase: \"7\"", "'phase' must be one of"),
        ('{measure: orr, value: "40"}', '{measure: orrr, value: "40"}', "unknown measure 'orrr'"),
        ("  - id: control", "  - id: drug", "duplicate arm"),
        ('{measure: pfs_median, value: "11.4", unit: months}', '{measure: pfs_median, value: "11.4"}', "needs 'unit:'"),
        ("title: A study", "titel: A study", "unknown key 'titel'"),
    ],
)
def test_errors_name_file_and_line(mini_seeds: Path, capsys: pytest.CaptureFixture[str], old: str, new: str,
                                   message: str) -> None:
    assert old in STUDY
    text = STUDY.replace(old, new, 1)
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    expected = f"seeds/studies/test-study.yaml:{line_of(text, new.strip())}:"
    matching = [line for line in out.splitlines() if line.startswith(expected)]
    assert matching, f"no error at {expected} in:\n{out}"
    assert any(message in line for line in matching), out


def test_missing_source_is_reported_at_the_figure(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = STUDY.replace("source: cmr2017\nat: Table 4\n", "")
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    line = line_of(text, '{measure: pfs_median, value: "11.4"')
    assert f"seeds/studies/test-study.yaml:{line}: an outcome has no source" in out
    assert "seeds/studies/test-study.yaml:1: the study has no source" in out


def test_duplicate_study_id_names_the_second_file(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_study(mini_seeds, STUDY)
    (mini_seeds / "studies" / "other.yaml").write_text(STUDY)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert "seeds/studies/other.yaml:1: id 'test-study' does not match the file name" in out
    assert "duplicate study id 'test-study'" in out


def test_yaml_syntax_error_names_line(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = STUDY.replace("  - id: control", "  - id: control\n    label: [unclosed", 1)
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert "seeds/studies/test-study.yaml:" in out and "YAML syntax" in out


def test_every_error_is_reported_not_just_the_first(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = STUDY.replace('value: "40"', 'value: "140"').replace("ae: stomatitis,", "ae: nothing,")
    write_study(mini_seeds, text)
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert "outside 0-100" in out and "unknown adverse-event term 'nothing'" in out
    assert "2 error(s)" in out


def test_bundled_seeds_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check"])
    out = capsys.readouterr()
    assert code == 0, out.err


def test_a_loop_of_parent_diseases_is_refused_with_file_and_line(mini_seeds: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """pnet -> gep-net -> net -> pnet: `check` used to pass it, and `build` then ate memory."""
    net = mini_seeds / "diseases" / "net.yaml"
    net.write_text(net.read_text(encoding="utf-8") + "parent: pnet\n", encoding="utf-8")
    line = len(net.read_text(encoding="utf-8").splitlines())
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert f"seeds/diseases/net.yaml:{line}: disease 'net' is its own ancestor: net -> pnet -> gep-net -> net" in out
    assert "seeds/diseases/pnet.yaml:3: disease 'pnet' is its own ancestor" in out


def test_a_disease_that_is_its_own_parent_is_refused(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    net = mini_seeds / "diseases" / "net.yaml"
    net.write_text(net.read_text(encoding="utf-8") + "parent: net\n", encoding="utf-8")
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert "seeds/diseases/net.yaml:4: disease 'net' is its own ancestor: net -> net" in out


LOOP_SCRIPT = r"""
import sys
from pathlib import Path
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # a runaway loop fails, not the machine
except (ImportError, ValueError, OSError):
    pass
from db.building.build import _write
from db.building.rows import tables
from db.building.search_index import build_docs
from db.dataset.seeds import read_dataset
from db.store import Store

ds, _ = read_dataset(Path(sys.argv[1]))  # not validated: the loop reaches the code that reads it
docs = build_docs(tables(ds))
_write(ds, "x", "", Path(sys.argv[2]))
tree = Store(Path(sys.argv[2])).disease_tree
print(len(docs), sorted(tree.above("pnet")), sorted(tree.below("net")))
"""


def test_no_code_path_loops_forever_on_a_parent_loop(mini_seeds: Path, tmp_path: Path) -> None:
    """Data that got past `check` (an old build, a hand-edited database) must still end: the
    search index's disease words and the disease tree stop at a disease already seen."""
    from tests.conftest import ROOT

    write_study(mini_seeds, STUDY)
    net = mini_seeds / "diseases" / "net.yaml"
    net.write_text(net.read_text(encoding="utf-8") + "parent: pnet\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", LOOP_SCRIPT, str(mini_seeds), str(tmp_path / "d.sqlite3")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # in a loop every disease of it is a subtype of every other: none is above pnet, all are below net
    assert proc.stdout.split(" ", 1)[1].strip() == "[] ['gep-net', 'gi-net', 'lung-net', 'net', 'pnet']"


def _padded_study(size: int) -> str:
    """A valid study made larger than `size` bytes by comment lines, as a pasted table could."""
    line = "# padding padding padding padding padding padding padding padding padding\n"
    return STUDY + line * ((size - len(STUDY)) // len(line) + 1)


def test_a_seed_file_over_the_limit_is_refused_before_parsing(mini_seeds: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from db.dataset.seedfiles import MAX_SEED_BYTES

    write_study(mini_seeds, _padded_study(MAX_SEED_BYTES + 1000))
    code, out = run_check(mini_seeds, capsys)
    assert code == 1
    assert "seeds/studies/test-study.yaml:1: is " in out
    assert f"a seed file may be at most {MAX_SEED_BYTES:,} bytes" in out


def test_a_seed_file_just_under_the_limit_is_read(mini_seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from db.dataset.seedfiles import MAX_SEED_BYTES

    write_study(mini_seeds, _padded_study(MAX_SEED_BYTES - 100))
    assert MAX_SEED_BYTES - 100 < (mini_seeds / "studies" / "test-study.yaml").stat().st_size <= MAX_SEED_BYTES
    code, out = run_check(mini_seeds, capsys)
    assert code == 0, out


def _check_in_a_child(seeds: Path) -> subprocess.CompletedProcess[str]:
    """`tumorboard check` in its own process, memory-capped: a hang or a runaway read fails the
    test (TimeoutExpired, or a non-zero exit) instead of the test run."""
    from tests.conftest import ROOT

    script = ("import resource, sys\nresource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
              "from tumorboard.cli import main\nsys.exit(main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", script, "check", "--seeds", str(seeds)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_yaml_is_refused_not_waited_on(mini_seeds: Path) -> None:
    os.mkfifo(mini_seeds / "studies" / "pipe.yaml")
    proc = _check_in_a_child(mini_seeds)
    assert proc.returncode == 1
    assert "seeds/studies/pipe.yaml:1: is a FIFO (named pipe), not a regular file" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_symlink_to_dev_zero_named_yaml_is_refused(mini_seeds: Path) -> None:
    (mini_seeds / "studies" / "zero.yaml").symlink_to("/dev/zero")
    proc = _check_in_a_child(mini_seeds)
    assert proc.returncode == 1
    assert "seeds/studies/zero.yaml:1: is a device (through a symbolic link), not a regular file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_start_up_refuses_an_oversized_seed_file_and_shows_the_last_good_build(mini_seeds: Path,
                                                                              tmp_path: Path) -> None:
    """Start-up hashes every seed file (db/building/build.py seeds_hash) before anything is parsed: the
    limit holds there too, and the window says which file, keeping the last good dataset."""
    from db.building.build import build
    from db.dataset.seedfiles import MAX_SEED_BYTES
    from db.opening import open_store

    write_study(mini_seeds, STUDY)
    build(mini_seeds, tmp_path / "dataset.sqlite3")
    write_study(mini_seeds, _padded_study(MAX_SEED_BYTES + 1000), name="big")
    store = open_store(tmp_path / "dataset.sqlite3", mini_seeds)
    try:
        assert len(store.warnings) == 1
        assert "seeds/studies/big.yaml:1: is " in store.warnings[0]
        assert "showing the last good build" in store.warnings[0]
    finally:
        store.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_the_seeds_hash_refuses_a_fifo_named_yaml(mini_seeds: Path) -> None:
    from db.building.build import SeedsInvalid, seeds_hash

    os.mkfifo(mini_seeds / "drugs" / "pipe.yaml")
    with pytest.raises(SeedsInvalid) as info:
        seeds_hash(mini_seeds)
    assert [str(e) for e in info.value.errors] == [
        "seeds/drugs/pipe.yaml:1: is a FIFO (named pipe), not a regular file; seed files must be regular files"]
