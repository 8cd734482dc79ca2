"""Installing releases at start, as the program does before it opens the dataset."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db.opening import open_store
from db.releases.state import load, origin_seeds, previous_database, state_path
from db.store import Store
from tests.conftest import ROOT, SEEDS
from tests.release_support import CHANGED, REMOVED, A, B, Kit, flip, kit, releases_folder
from tumorboard.cli import main


@pytest.fixture
def k(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return kit(tmp_path_factory)


@pytest.fixture
def folder(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: Kit) -> Path:
    return releases_folder(tmp_path, monkeypatch, k)


def _open() -> Store:
    store = open_store()
    store.close()
    return store


def _version(home: Path) -> str:
    store = Store(home / "dataset.sqlite3")
    try:
        return store.meta()["dataset_version"]
    finally:
        store.close()


def _install_a(k: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    """Start once (the bundled dataset), install A from the command line, start again (which announces it)."""
    _open()
    assert main(["release", "install", str(k.a), "--trust", str(k.pub)]) == 0
    assert f"now showing release {A}" in capsys.readouterr().out
    assert _open().warnings == [f"Dataset updated 2026.12.1 → {A} (installed with `tumorboard release install`): "
                                "no changes to studies, figures or caveats."]


def test_start_installs_the_newer_release_says_so_and_gives_the_diff(
        home: Path, folder: Path, k: Kit, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from db.building.build import database_state

    _install_a(k, capsys)
    assert _version(home) == A
    shutil.copy(k.b, folder)
    store = _open()
    assert store.warnings == [f"Dataset updated {A} → {B}: 1 study added, 1 study removed, 1 figure changed, "
                              "1 caveat added."]
    assert _version(home) == B
    update = store.update
    assert update is not None and (update.old_version, update.new_version) == (A, B)
    assert update.previous_db == previous_database(home) and update.diff is not None
    diff = update.diff
    assert [s.id for s in diff.studies_added] == ["test-study"] and [s.id for s in diff.studies_removed] == [REMOVED]
    [figure] = diff.figures_changed
    assert (figure.figure_id, figure.old, figure.new) == (CHANGED, "11.4 months", "11.5 months†")
    assert figure.old_source == figure.new_source == "cmr2017, Table 4"
    assert [(c.figure_id, c.kind, c.text) for c in diff.caveats_added] == [(CHANGED, "caveat",
                                                                            "Updated by the test suite")]
    # the installed release, not the bundled seeds, is the dataset's origin: nothing is rebuilt at the next start
    assert database_state(home / "dataset.sqlite3", origin_seeds(home)) == "ok"
    assert database_state(home / "dataset.sqlite3", SEEDS) == "seeds"

    def no_build(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("start-up rebuilt the installed release")

    monkeypatch.setattr("db.building.build.build", no_build)
    before = (home / "dataset.sqlite3").stat().st_mtime_ns
    again = _open()
    assert again.warnings == [] and again.update is None
    assert (home / "dataset.sqlite3").stat().st_mtime_ns == before


@pytest.mark.parametrize("damage", ["flipped", "truncated", "wrong key"])
def test_a_bad_release_in_the_folder_is_refused_and_changes_nothing(
        home: Path, folder: Path, k: Kit, capsys: pytest.CaptureFixture[str], tmp_path: Path, damage: str) -> None:
    from db.releases.build import build_release

    _install_a(k, capsys)
    dataset, state = (home / "dataset.sqlite3").read_bytes(), state_path(home).read_text(encoding="utf-8")
    bad = folder / f"{B}.tbrelease"
    data = k.b.read_bytes()
    if damage == "flipped":
        bad.write_bytes(flip(data, len(data) // 3))
    elif damage == "truncated":
        bad.write_bytes(data[: len(data) - 1000])
    else:
        build_release(k.seeds_b, k.other_key, bad)
    store = _open()
    [warning] = store.warnings
    assert warning.startswith(f"Release not installed: {bad}: ")
    reason = {"flipped": "bad signature", "truncated": "damaged or truncated",
              "wrong key": "signed by a key this installation does not trust"}[damage]
    assert reason in warning and warning.endswith("The current dataset stays.")
    assert (home / "dataset.sqlite3").read_bytes() == dataset
    assert state_path(home).read_text(encoding="utf-8") == state
    assert sorted(p.name for p in (home / "releases").iterdir()) == ["install.lock", "installed", "previous.sqlite3",
                                                                     "state.json"]  # no leftovers of the refused file


def test_older_and_equal_versions_in_the_folder_are_ignored(home: Path, folder: Path, k: Kit,
                                                             capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _install_a(k, capsys)
    shutil.copy(k.a, folder)
    monkeypatch.setattr("db.paths.bundled_seeds", lambda: k.seeds_a)  # the bundled version equals A's too
    assert _open().warnings == []
    assert _version(home) == A


def test_rollback_pins_until_unpin(home: Path, folder: Path, k: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    _install_a(k, capsys)
    shutil.copy(k.b, folder)
    _open()
    assert main(["release", "rollback"]) == 0
    out = capsys.readouterr().out
    assert f"now showing release {A}" in out and "pinned until `tumorboard release unpin`" in out
    store = _open()
    assert store.warnings[0].startswith(f"Dataset changed {B} → {A} (rolled back with `tumorboard release rollback`)")
    assert store.warnings[1].startswith(f"The dataset is pinned to release {A}")
    assert _version(home) == A
    assert main(["release", "unpin"]) == 0
    assert _open().warnings[0].startswith(f"Dataset updated {A} → {B}")
    assert main(["release", "rollback", "--bundled"]) == 0
    assert _version(home) == "2026.12.1"
    assert main(["release", "rollback", "--bundled"]) == 0  # from the bundled dataset to itself: allowed
    assert load(home)[0].current.kind == "bundled"


def test_rollback_with_nothing_before_says_so(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", "rollback"]) == 1
    assert "nothing to roll back to" in capsys.readouterr().err


def test_a_withdrawn_release_is_never_installed_and_is_left_at_start(
        home: Path, folder: Path, k: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(k.b, folder)
    assert _open().warnings[0].startswith(f"Dataset updated 2026.12.1 → {B}")
    shutil.copy(k.a, folder)
    assert main(["release", "withdraw", B, "--reason", "wrong dose in a table", "--key", str(k.key)]) == 0
    store = _open()
    assert store.warnings[0].startswith(f"Dataset changed {B} → {A} (release {B} was withdrawn: wrong dose in a "
                                        "table)")
    assert _version(home) == A
    assert _open().warnings == []
    assert main(["release", "install", str(k.b)]) == 1
    assert f"version {B} is withdrawn (wrong dose in a table)" in capsys.readouterr().err


def test_a_withdrawal_list_that_does_not_verify_stops_all_installs(
        home: Path, folder: Path, k: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", "withdraw", "2026.1.1", "--reason", "x", "--key", str(k.key)]) == 0
    listing = folder / "withdrawn.json"
    listing.write_text(listing.read_text(encoding="utf-8").replace("2026.1.1", "2026.1.2"), encoding="utf-8")
    shutil.copy(k.b, folder)
    [warning] = _open().warnings
    assert "has a bad signature" in warning and "no release is installed from the folder" in warning
    assert _version(home) == "2026.12.1"


def test_another_schema_or_wording_rebuilds_from_the_release_seeds_not_the_bundled_ones(
        home: Path, folder: Path, k: Kit, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from db.building.build import database_state

    monkeypatch.setattr("db.building.build.PRESENTATION_VERSION", "new-wording")
    assert main(["release", "install", str(k.b)]) == 0
    assert "rebuilt from its seeds for this program" in capsys.readouterr().out
    assert _version(home) == B and database_state(home / "dataset.sqlite3", origin_seeds(home)) == "ok"
    monkeypatch.setattr("db.building.build.PRESENTATION_VERSION", "newer-wording")  # the program is updated
    _open()
    assert _version(home) == B
    assert database_state(home / "dataset.sqlite3", origin_seeds(home)) == "ok"


def test_newer_bundled_seeds_take_over_from_an_older_release(
        home: Path, folder: Path, k: Kit, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _install_a(k, capsys)
    monkeypatch.setattr("db.paths.bundled_seeds", lambda: k.seeds_b)  # a program update bundling B's seeds
    store = _open()
    assert store.warnings[0].startswith(f"Dataset updated {A} → {B} (bundled with this program): 1 study added")
    assert load(home, k.seeds_b)[0].current.kind == "bundled"


def test_damaged_installed_release_files_fall_back_to_the_bundled_dataset(
        home: Path, folder: Path, k: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    _install_a(k, capsys)
    installed = origin_seeds(home)
    (installed / "studies" / "radiant-3.yaml").write_text("damaged", encoding="utf-8")
    store = _open()
    assert any("has missing or damaged files" in w for w in store.warnings)
    assert _version(home) == "2026.12.1"
    assert not installed.exists()  # pruned


def test_an_install_interrupted_before_the_state_is_written_is_rebuilt_from_the_state(
        home: Path, k: Kit, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUMORBOARD_CONFIG", str(home / "none.ini"))  # no releases folder: installs by hand only
    _install_a(k, capsys)

    class Killed(BaseException):
        pass

    def killed(*_args: object) -> None:
        raise Killed

    with monkeypatch.context() as m:
        m.setattr("db.releases.install._record", killed)
        with pytest.raises(Killed):
            main(["release", "install", str(k.b), "--trust", str(k.pub)])
    assert _version(home) == B  # the database was replaced, the state still says A
    _open()
    assert _version(home) == A


def test_notes_survive_and_a_note_whose_study_left_is_listed(
        home: Path, folder: Path, k: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    from db.notes.notebook import NotesStore
    from db.releases.notes import orphaned_notes

    notes = NotesStore()
    notes.save("study", REMOVED, "discussed at the board")
    notes.save("study", "radiant-3", "kept")
    notes.close()
    shutil.copy(k.b, folder)
    store = open_store()
    assert f"1 of your notes is for studies or therapies no longer in the dataset ({REMOVED}); they are kept." \
        in store.warnings[0]
    notes = NotesStore()
    try:
        assert [n.entity_id for n in orphaned_notes(store, notes.all())] == [REMOVED]
        assert {n.entity_id for n in notes.all()} == {REMOVED, "radiant-3"}
    finally:
        notes.close()
        store.close()


def test_an_open_store_keeps_its_data_while_a_release_is_installed(home: Path, k: Kit,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    if sys.platform == "win32":
        pytest.skip("Windows refuses to replace the open file: InstallError")
    window = open_store()
    try:
        assert main(["release", "install", str(k.b), "--trust", str(k.pub)]) == 0
        assert window.meta()["dataset_version"] == "2026.12.1"
        assert window.study("test-study") is None
    finally:
        window.close()
    assert _version(home) == B


def test_release_status_and_diff_from_the_command_line(home: Path, folder: Path, k: Kit,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    _open()
    shutil.copy(k.b, folder)
    (folder / "broken.tbrelease").write_bytes(b"PK")
    assert main(["release", "status"]) == 0
    out = capsys.readouterr().out
    assert f"releases folder: {folder} (from TUMORBOARD_RELEASES)" in out
    assert f"{k.b.name}: {B}: newer: installed at the next start" in out and "broken.tbrelease" in out
    assert main(["release", "diff", str(k.a), str(k.b)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{A} → {B}: 1 study added, 1 study removed, 1 figure changed, 1 caveat added")
    assert f"  {CHANGED}  (RADIANT-3 (Yao), Everolimus 10 mg/day: Median PFS, changed)\n" \
           "      11.4 months  →  11.5 months†\n      source: cmr2017, Table 4" in out
    assert main(["release", "diff", str(k.a), str(k.b), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["figures_changed"][0]["figure_id"] == CHANGED
    _open()
    assert main(["release", "diff"]) == 0
    assert capsys.readouterr().out.startswith(f"2026.12.1 → {B}:")


def test_start_without_a_releases_folder_imports_no_cryptography_and_the_window_no_datasette(home: Path) -> None:
    code = ("import sys; from db.opening import open_store; open_store().close(); import desktop.app, tumorboard.cli; "
            "tumorboard.cli.parser(); bad = [m for m in ('cryptography', 'datasette', 'uvicorn', 'db.releases.start')"
            " if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    env = {k: v for k, v in os.environ.items() if k not in ("TUMORBOARD_RELEASES", "TUMORBOARD_CONFIG")}
    env["TUMORBOARD_CONFIG"] = str(home / "no-such.ini")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_self_test_checks_the_installed_release_without_rebuilding_it(home: Path, k: Kit,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from tumorboard.selftest_data import Context, step_dataset

    assert main(["release", "install", str(k.b), "--trust", str(k.pub)]) == 0
    before = (home / "dataset.sqlite3").stat().st_mtime_ns
    said = step_dataset(Context(home=home, seeds=SEEDS))
    assert said.startswith(f"dataset {B}, 86 studies, dataset.sqlite3 up to date")
    assert (home / "dataset.sqlite3").stat().st_mtime_ns == before


def test_a_waiting_release_is_announced_to_an_open_window_and_installed_only_at_the_next_start(
        home: Path, folder: Path, k: Kit) -> None:
    from db.releases.start import pending

    assert _open().warnings == [] and pending() is None
    shutil.copy(k.b, folder)
    assert pending() == f"Dataset release {B} is in the releases folder; it is installed at the next start."
    assert _version(home) == "2026.12.1"
    _open()
    assert pending() is None and _version(home) == B


def test_an_unexpected_error_while_checking_releases_still_opens_the_dataset(
        home: Path, folder: Path, k: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(k.b, folder)

    def unreadable(*_args: object) -> list[object]:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("db.releases.start.folder_releases", unreadable)
    store = _open()
    assert store.warnings == ["The releases could not be checked ([Errno 5] Input/output error); the current "
                              "dataset is shown."]
    assert _version(home) == "2026.12.1"


def test_a_withdrawal_seen_once_survives_deleting_or_replacing_the_list(
        home: Path, folder: Path, k: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing is installed at the first start (B is withdrawn), yet the list is kept: deleting it,
    or putting back an older signed list, never lets B in."""
    listing = folder / "withdrawn.json"
    assert main(["release", "withdraw", "2026.1.1", "--reason", "superseded", "--key", str(k.key)]) == 0
    older = listing.read_bytes()  # sequence 1, B not in it
    assert main(["release", "withdraw", B, "--reason", "wrong dose in a table", "--key", str(k.key)]) == 0
    shutil.copy(k.b, folder)
    assert _open().warnings == []
    assert _version(home) == "2026.12.1"
    listing.unlink()
    assert _open().warnings == []
    assert _version(home) == "2026.12.1"
    assert load(home)[0].withdrawn == {B: "wrong dose in a table", "2026.1.1": "superseded"}
    listing.write_bytes(older)
    [warning] = _open().warnings
    assert warning == (f"The withdrawal list {listing} is older (sequence 1) than one this installation has seen "
                       "(sequence 2); it is ignored.")
    assert _version(home) == "2026.12.1"
    assert main(["release", "install", str(k.b)]) == 1
    assert f"version {B} is withdrawn (wrong dose in a table)" in capsys.readouterr().err


def test_a_list_without_a_sequence_is_sequence_0_and_still_adds_its_withdrawals(
        home: Path, folder: Path, k: Kit) -> None:
    import base64
    import hashlib

    from db.releases.sign import LIST_DOMAIN, load_private, public_of, sign
    from db.releases.trust import LIST_FORMAT

    key = load_private(k.key)
    text = json.dumps({"issued": "2026-12-01T08:00:00Z", "versions": {B: "an old list"}})
    signature = sign(key, LIST_DOMAIN, hashlib.sha256(text.encode("utf-8")).digest())
    (folder / "withdrawn.json").write_text(json.dumps({
        "format": LIST_FORMAT, "list": text, "key": public_of(key).key_id,
        "signature": base64.b64encode(signature).decode("ascii")}), encoding="utf-8")
    shutil.copy(k.b, folder)
    assert _open().warnings == [] and _version(home) == "2026.12.1"
    state = load(home)[0]
    assert (state.withdrawn, state.withdrawn_sequence) == ({B: "an old list"}, 0)


def test_two_starts_at_once_install_a_new_release_once_and_keep_what_changed(home: Path, folder: Path,
                                                                           k: Kit, tmp_path: Path) -> None:
    """Two processes start together with a new release in the folder: one installs it, the other waits
    for the install lock and finds it installed; the banner names the old and the new version."""
    _open()
    shutil.copy(k.b, folder)
    go = tmp_path / "go"
    child = ("import sys, time; from pathlib import Path; import db.releases.install as ri\n"
             "real = ri.install_file\n"
             "def counted(*a, **kw):\n    print('INSTALL', flush=True); return real(*a, **kw)\n"
             "ri.install_file = counted\n"
             "while not Path(sys.argv[1]).exists(): time.sleep(0.001)\n"
             "from db.opening import open_store\ns = open_store(); s.close(); print(s.warnings)\n")
    procs = [subprocess.Popen([sys.executable, "-c", child, str(go)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    go.touch()
    outs = [p.communicate(timeout=120) for p in procs]
    said = "".join(o for o, _e in outs)
    assert all(p.returncode == 0 for p in procs), outs
    assert said.count("INSTALL") == 1, said
    assert f"Dataset updated 2026.12.1 → {B}" in said and f"{B} → {B}" not in said, said
    update = load(home)[0].update
    assert (update["from"], update["to"]) == ("2026.12.1", B)
    assert _version(home) == B
