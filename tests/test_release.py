"""Release files: what they hold, how they are signed, and every way a bad one is refused."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from pathlib import Path

import pytest

from db.releases.format import DATABASE, MANIFEST, ReleaseRefused
from db.releases.sign import SIG_BLOCK_BYTES, file_digest, load_private, load_public, signature_block
from db.releases.verify import verify
from tests.release_support import A, B, Kit, flip, kit
from tumorboard.cli import main


@pytest.fixture
def k(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return kit(tmp_path_factory)


def test_keygen_writes_a_private_key_for_its_owner_and_the_public_key_beside_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "curator.key"
    assert main(["release", "keygen", "-o", str(key)]) == 0
    assert "key id" in capsys.readouterr().out
    assert (tmp_path / "curator.pub").read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    assert main(["release", "keygen", "-o", str(key)]) == 1  # a key file is never replaced
    assert "never replaced" in capsys.readouterr().err
    assert key.read_bytes() == before


def test_a_release_holds_the_database_the_seeds_and_a_manifest_with_their_hashes(k: Kit) -> None:
    from db.dataset.schema import SCHEMA_VERSION
    from db.presentation.present import VERSION

    with zipfile.ZipFile(k.a) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        names = set(archive.namelist())
        for name, part in manifest["parts"].items():
            data = archive.read(name)
            assert hashlib.sha256(data).hexdigest() == part["sha256"] and len(data) == part["size"]
        private = k.key.read_bytes()
        assert all(private not in archive.read(n) for n in names)  # the private key never goes in
    seeds = {n for n in names if n.startswith("seeds/")}
    assert len(seeds) == len(list(k.seeds_a.rglob("*.yaml"))) and "seeds/studies/radiant-3.yaml" in seeds
    assert names == {MANIFEST, DATABASE} | seeds
    assert manifest["version"] == A and manifest["released"] == "2026-12-07"
    assert manifest["schema_version"] == SCHEMA_VERSION and manifest["presentation_version"] == VERSION
    assert manifest["counts"]["studies"] == 86 and {s["id"] for s in manifest["sources"]} >= {"cmr2017"}


def test_verify_accepts_a_good_release_from_the_command_line(k: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", "verify", str(k.b), "--trust", str(k.pub)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"ok: {k.b} is release {B}") and load_public(k.pub).key_id in out


def _refused(path: Path, k: Kit) -> str:
    with pytest.raises(ReleaseRefused) as info:
        verify(path, [load_public(k.pub)])
    assert str(path) in str(info.value)
    return info.value.reason


def test_a_flipped_byte_anywhere_is_refused(k: Kit, tmp_path: Path) -> None:
    data = k.a.read_bytes()
    positions = sorted({*range(0, len(data), len(data) // 60), *range(len(data) - 400, len(data), 23), 5, 40})
    bad = tmp_path / "flipped.tbrelease"
    for at in positions:
        bad.write_bytes(flip(data, at))
        reason = _refused(bad, k)
        assert "signature" in reason or "damaged" in reason or "trust" in reason, (at, reason)


def test_a_truncated_file_is_refused(k: Kit, tmp_path: Path) -> None:
    data = k.a.read_bytes()
    bad = tmp_path / "truncated.tbrelease"
    for size in (0, 10, 200, len(data) // 2, len(data) - SIG_BLOCK_BYTES, len(data) - 1):
        bad.write_bytes(data[:size])
        assert "damaged or truncated" in _refused(bad, k)


def test_a_release_signed_by_an_untrusted_key_is_refused_naming_it(k: Kit, tmp_path: Path) -> None:
    from db.releases.build import build_release

    other = tmp_path / "other.tbrelease"
    build_release(k.seeds_a, k.other_key, other)
    reason = _refused(other, k)
    assert reason.startswith("signed by a key this installation does not trust")
    assert load_public(k.other_key.with_suffix(".pub")).key_id in reason


def test_a_signature_of_another_key_under_the_trusted_key_id_is_a_bad_signature(k: Kit, tmp_path: Path) -> None:
    data = k.a.read_bytes()
    body = data[:-SIG_BLOCK_BYTES]
    forged = signature_block(load_private(k.other_key), hashlib.sha256(body).digest())
    trusted_id = load_public(k.pub).key_id.encode()
    bad = tmp_path / "forged.tbrelease"
    bad.write_bytes(body + forged[:7] + trusted_id + forged[7 + 16:])
    assert _refused(bad, k).startswith("bad signature")


def _signed_zip(path: Path, entries: dict[str, bytes], key: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        archive.comment = b" " * SIG_BLOCK_BYTES
    size = path.stat().st_size
    block = signature_block(load_private(key), file_digest(path, size - SIG_BLOCK_BYTES))
    with open(path, "r+b") as handle:
        handle.seek(size - SIG_BLOCK_BYTES)
        handle.write(block)


def _entries(release: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(release) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def test_a_signed_release_from_a_newer_program_is_refused(k: Kit, tmp_path: Path) -> None:
    from db.dataset.schema import SCHEMA_VERSION

    entries = _entries(k.a)
    manifest = json.loads(entries[MANIFEST])
    manifest["schema_version"] = SCHEMA_VERSION + 1
    entries[MANIFEST] = json.dumps(manifest).encode()
    newer = tmp_path / "newer.tbrelease"
    _signed_zip(newer, entries, k.key)
    assert _refused(newer, k).startswith(f"made for a newer program (dataset schema {SCHEMA_VERSION + 1}")


def test_signed_contents_that_do_not_match_the_manifest_are_refused(k: Kit, tmp_path: Path) -> None:
    entries = _entries(k.a)
    bad = tmp_path / "bad.tbrelease"
    _signed_zip(bad, {**entries, "seeds/studies/extra.yaml": b"id: extra\n"}, k.key)
    assert "differ from its manifest" in _refused(bad, k)
    entries["seeds/studies/radiant-3.yaml"] = entries["seeds/studies/radiant-3.yaml"].replace(b"11.4", b"11.9")
    _signed_zip(bad, entries, k.key)
    assert "radiant-3.yaml does not match the hash in its manifest" in _refused(bad, k)
    entries["seeds/studies/radiant-3.yaml"] += b"# longer\n"
    _signed_zip(bad, entries, k.key)
    assert "radiant-3.yaml is larger than its manifest says" in _refused(bad, k)
    _signed_zip(bad, {**entries, MANIFEST: b"{not json"}, k.key)
    assert "manifest is not JSON" in _refused(bad, k)


def test_the_withdrawal_list_is_signed_and_a_changed_one_is_not_trusted(k: Kit, tmp_path: Path) -> None:
    from db.releases.trust import ListError, read_withdrawn, write_withdrawn

    path = tmp_path / "withdrawn.json"
    keys = [load_public(k.pub)]
    assert read_withdrawn(path, keys) == {}
    write_withdrawn(path, k.key, B, "wrong dose", keys)
    write_withdrawn(path, k.key, "2026.10.1", "superseded", keys)
    assert read_withdrawn(path, keys) == {B: "wrong dose", "2026.10.1": "superseded"}
    outer = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(outer | {"list": outer["list"].replace("wrong dose", "fine")}), encoding="utf-8")
    with pytest.raises(ListError, match="bad signature"):
        read_withdrawn(path, keys)
    with pytest.raises(ListError, match="does not trust"):
        write_withdrawn(tmp_path / "other.json", k.other_key, B, "x")
        read_withdrawn(tmp_path / "other.json", keys)


def test_release_build_with_invalid_seeds_writes_nothing(k: Kit, tmp_path: Path, seeds_copy: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    study = seeds_copy / "studies" / "radiant-3.yaml"
    study.write_text(study.read_text(encoding="utf-8").replace('value: "11.4"', 'value: "eleven"'), encoding="utf-8")
    out = tmp_path / "r.tbrelease"
    assert main(["release", "build", "--seeds", str(seeds_copy), "--key", str(k.key), "-o", str(out)]) == 1
    assert "radiant-3.yaml" in capsys.readouterr().err
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_it_configures_the_folder_in_tumorboard_ini_and_may_trust_several_keys(
        k: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from db.paths import release_settings
    from db.releases.build import build_release
    from db.releases.sign import trusted_keys

    ini = tmp_path / "install" / "tumorboard.ini"
    ini.parent.mkdir()
    ini.write_text("[releases]\nfolder = ../share\n", encoding="utf-8")
    monkeypatch.setenv("TUMORBOARD_CONFIG", str(ini))
    monkeypatch.delenv("TUMORBOARD_RELEASES", raising=False)
    monkeypatch.delenv("TUMORBOARD_RELEASE_KEYS", raising=False)
    settings = release_settings()
    assert settings.folder == ini.parent / "../share" and settings.keys == settings.folder / "keys"
    assert settings.origin == str(ini)
    settings.keys.mkdir(parents=True)
    shutil.copy(k.pub, settings.keys / "old.pub")
    shutil.copy(k.other_key.with_suffix(".pub"), settings.keys / "new.pub")  # a rotation: both trusted for a while
    (settings.keys / "broken.pub").write_text("not a key", encoding="utf-8")
    keys, problems = trusted_keys(settings.keys)
    assert len(keys) == 2 and len(problems) == 1 and "broken.pub is not a public key" in problems[0]
    other = tmp_path / "other.tbrelease"
    build_release(k.seeds_a, k.other_key, other)
    assert verify(other, keys).key.key_id == load_public(k.other_key.with_suffix(".pub")).key_id
    assert verify(k.a, keys).key.key_id == load_public(k.pub).key_id
    ini.write_text("[releases\nfolder = x\n", encoding="utf-8")
    from db.paths import ConfigError

    with pytest.raises(ConfigError, match=r"tumorboard\.ini cannot be read"):
        release_settings()
