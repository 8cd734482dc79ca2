"""What this installation trusts: the public keys in the releases folder and its signed
withdrawal list (versions never to install).

    withdrawn.json   {"format": "tumorboard-withdrawn/1", "list": "<JSON text>", "key": "<key id>",
                      "signature": "<base64>"}

`list` is JSON text, `{"issued": "2026-12-10T08:00:00Z", "sequence": 3, "versions": {"2026.12.1":
"reason"}}`, and the signature covers exactly that text. A list that exists but does not verify is
not ignored: nothing is installed from the folder until it is fixed. Every trusted list is kept in
the installation's state (db/releases/state.py `remember_withdrawn`) as a union, so deleting the
file or putting back an older signed list (a lower `sequence`; none is 0) undoes no withdrawal.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.paths import ReleaseSettings
from db.releases.sign import LIST_DOMAIN, PublicKey

WITHDRAWN_NAME = "withdrawn.json"
LIST_FORMAT = "tumorboard-withdrawn/1"
MAX_LIST_BYTES = 1 << 20


class ListError(ValueError):
    """The withdrawal list cannot be trusted: a message naming the file and the reason."""


@dataclass(frozen=True)
class Trust:
    """The trusted keys and withdrawn versions. `list_ok` is False when a withdrawal list exists
    and cannot be trusted; `problems` says why, and what else is wrong (a bad key file)."""

    folder: Path | None
    keys: list[PublicKey]
    withdrawn: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    list_ok: bool = True


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass(frozen=True)
class WithdrawalList:
    versions: dict[str, str]
    sequence: int = 0
    found: bool = True


def read_withdrawn(path: Path, keys: Sequence[PublicKey]) -> dict[str, str]:
    """The withdrawn versions and why ({} when there is no list); ListError when it cannot be trusted."""
    return read_list(path, keys).versions


def read_list(path: Path, keys: Sequence[PublicKey]) -> WithdrawalList:
    """The list with its sequence (empty, sequence 0, when there is none); ListError when it cannot be trusted."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_LIST_BYTES + 1)
    except FileNotFoundError:
        return WithdrawalList({}, found=False)
    except OSError as exc:
        raise ListError(f"the withdrawal list {path} cannot be read: {exc.strerror or exc}") from exc
    try:
        if len(raw) > MAX_LIST_BYTES:
            raise ValueError("it is too large")
        outer = json.loads(raw.decode("utf-8"))
        if not isinstance(outer, dict) or outer.get("format") != LIST_FORMAT:
            raise ValueError(f"it is not a {LIST_FORMAT} file")
        text, ident = str(outer["list"]), str(outer["key"])
        signature = base64.b64decode(str(outer["signature"]), validate=True)
    except (UnicodeError, json.JSONDecodeError, KeyError, binascii.Error, ValueError) as exc:
        raise ListError(f"the withdrawal list {path} is damaged ({exc})") from exc
    key = next((k for k in keys if k.key_id == ident), None)
    if key is None:
        raise ListError(f"the withdrawal list {path} is signed by a key this installation does not trust "
                        f"(key id {ident})")
    if not key.verify(signature, LIST_DOMAIN + _digest(text)):
        raise ListError(f"the withdrawal list {path} has a bad signature: it was changed after it was signed")
    try:
        data = json.loads(text)
        sequence = data.get("sequence", 0)
        if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
            raise ValueError(f"its sequence {sequence!r} is not a whole number")
        return WithdrawalList({str(v): str(why) for v, why in dict(data["versions"]).items()}, sequence)
    except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ListError(f"the withdrawal list {path} is damaged ({exc})") from exc


def write_withdrawn(path: Path, key_file: Path, version: str, reason: str,
                    keys: Sequence[PublicKey] = ()) -> dict[str, str]:
    """Add `version` to the list at `path` (made if absent) and sign it with the curator's key, one
    sequence higher. An existing list must verify with `keys` or the signing key itself. Returns
    the new list."""
    from db.atomic import atomic_text_file
    from db.releases.sign import load_private, public_of, sign

    key = load_private(key_file)
    current = read_list(path, [*keys, public_of(key)])
    versions = {**current.versions, version: reason}
    text = json.dumps({"issued": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                       "sequence": current.sequence + 1, "versions": versions}, ensure_ascii=False, sort_keys=True)
    outer = {"format": LIST_FORMAT, "list": text, "key": public_of(key).key_id,
             "signature": base64.b64encode(sign(key, LIST_DOMAIN, _digest(text))).decode("ascii")}
    with atomic_text_file(path) as out:
        json.dump(outer, out, ensure_ascii=False, indent=1)
        out.write("\n")
    return versions


def load_trust(settings: ReleaseSettings, extra_keys: Sequence[PublicKey] = (), home: Path | None = None) -> Trust:
    """The keys in the configured keys folder (plus `extra_keys`), and every version withdrawn by the
    folder's list or by any list this installation (`home`, the data folder) saw before. A trusted
    list is recorded in the installation's state here, before anything is installed."""
    from db.paths import data_home
    from db.releases.sign import trusted_keys
    from db.releases.state import load, remember_withdrawn

    keys, problems = trusted_keys(settings.keys)
    keys = [*keys, *extra_keys]
    home = home or data_home()
    seen = dict(load(home)[0].withdrawn)
    if settings.folder is None:
        return Trust(None, keys, seen, problems)
    path = settings.folder / WITHDRAWN_NAME
    try:
        listing = read_list(path, keys)
    except ListError as exc:
        return Trust(settings.folder, keys, seen, [*problems, f"{exc}; no release is installed from the folder "
                                                              "until it is fixed"], list_ok=False)
    if not listing.found:  # deleted: the withdrawals seen before still hold
        return Trust(settings.folder, keys, seen, problems)
    withdrawn, warning = remember_withdrawn(listing.versions, listing.sequence, home,
                                            source=f"the withdrawal list {path}")
    if warning:
        problems = [*problems, warning]
    return Trust(settings.folder, keys, withdrawn, problems)
