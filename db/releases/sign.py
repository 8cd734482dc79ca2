"""Ed25519 keys and signatures for dataset releases and the withdrawal list (`cryptography`).

A curator's key pair: the private key (PKCS#8 PEM, created readable by its owner only) never
leaves the curator's machine and never goes into a release; the public key (PEM, `.pub`
beside it) goes to IT, who puts it in the releases folder's `keys/` folder. A key is named by
its id: the first 16 hex digits of the sha256 of its 32 raw bytes.

What is signed is a domain tag and a sha256 digest (of a release file's bytes before its
signature block, or of the withdrawal list's text), so a release signature can never pass
for a list signature or the reverse.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

RELEASE_DOMAIN = b"tumorboard-release-v1\n"
LIST_DOMAIN = b"tumorboard-withdrawn-v1\n"
SIG_MAGIC = b"TBSIG1:"
KEY_ID_LENGTH = 16
SIG_BLOCK_BYTES = len(SIG_MAGIC) + KEY_ID_LENGTH + 1 + 88  # magic, key id, ':', base64 of 64 bytes
MAX_KEY_FILE_BYTES = 64 * 1024


def key_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:KEY_ID_LENGTH]


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    raw: bytes
    origin: str  # the file it was read from, for messages

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_path(private: Path) -> Path:
    """Where keygen writes the public key: beside the private key, with the suffix `.pub`."""
    return private.with_suffix(".pub")


def generate(private: Path) -> tuple[Path, str]:
    """Write a new key pair: `private` (created, never replaced) and its `.pub`; return the
    public key's path and the key id. FileExistsError when either exists."""
    public = public_key_path(private)
    if public == private:
        raise ValueError(f"{private} ends in .pub: name the private key file differently (e.g. curator.key)")
    for path in (private, public):
        if path.exists() or path.is_symlink():
            raise FileExistsError(f"{path} exists; a key file is never replaced (choose another name)")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    private.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    from db.atomic import atomic_path

    with atomic_path(public) as tmp:
        tmp.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo))
    return public, key_id(_raw_public(key.public_key()))


def _read_key_file(path: Path) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(MAX_KEY_FILE_BYTES + 1)
    if len(data) > MAX_KEY_FILE_BYTES:
        raise ValueError(f"{path} is too large to be a key file")
    return data


def load_private(path: Path) -> Ed25519PrivateKey:
    """The curator's private key; ValueError saying why it cannot be used."""
    try:
        key = serialization.load_pem_private_key(_read_key_file(path), password=None)
    except OSError as exc:
        raise ValueError(f"cannot read the key file {path}: {exc.strerror or exc}") from exc
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path} is not an unencrypted Ed25519 private key (PEM) as `release keygen` writes") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_of(key: Ed25519PrivateKey) -> PublicKey:
    raw = _raw_public(key.public_key())
    return PublicKey(key_id(raw), raw, "the signing key")


def load_public(path: Path) -> PublicKey:
    """A public key file (PEM); ValueError saying why it cannot be used."""
    try:
        key = serialization.load_pem_public_key(_read_key_file(path))
    except OSError as exc:
        raise ValueError(f"cannot read the public key {path}: {exc.strerror or exc}") from exc
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path} is not a public key (PEM) as `release keygen` writes") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    raw = _raw_public(key)
    return PublicKey(key_id(raw), raw, str(path))


def trusted_keys(folder: Path | None) -> tuple[list[PublicKey], list[str]]:
    """Every `*.pub` key in `folder` (several: a key can be rotated), and a message per file
    that is not a usable key."""
    keys: list[PublicKey] = []
    problems: list[str] = []
    if folder is None:
        return keys, problems
    try:
        files = sorted(p for p in folder.glob("*.pub") if p.is_file())
    except OSError as exc:
        return keys, [f"cannot read the trusted keys folder {folder}: {exc.strerror or exc}"]
    for path in files:
        try:
            keys.append(load_public(path))
        except ValueError as exc:
            problems.append(str(exc))
    return keys, problems


def sign(key: Ed25519PrivateKey, domain: bytes, digest: bytes) -> bytes:
    return key.sign(domain + digest)


def signature_block(key: Ed25519PrivateKey, digest: bytes) -> bytes:
    """The release file's last SIG_BLOCK_BYTES: magic, key id and the signature, in ASCII."""
    block = (SIG_MAGIC + public_of(key).key_id.encode() + b":"
             + base64.b64encode(sign(key, RELEASE_DOMAIN, digest)))
    assert len(block) == SIG_BLOCK_BYTES
    return block


def parse_block(block: bytes) -> tuple[str, bytes]:
    """(key id, signature) from a signature block; ValueError when it is not one."""
    if len(block) != SIG_BLOCK_BYTES or not block.startswith(SIG_MAGIC):
        raise ValueError("no signature block at its end")
    ident = block[len(SIG_MAGIC):len(SIG_MAGIC) + KEY_ID_LENGTH]
    if block[len(SIG_MAGIC) + KEY_ID_LENGTH:len(SIG_MAGIC) + KEY_ID_LENGTH + 1] != b":":
        raise ValueError("a malformed signature block")
    try:
        signature = base64.b64decode(block[len(SIG_MAGIC) + KEY_ID_LENGTH + 1:], validate=True)
        text = ident.decode("ascii")
    except (binascii.Error, UnicodeError) as exc:
        raise ValueError("a malformed signature block") from exc
    if len(signature) != 64 or not all(c in "0123456789abcdef" for c in text):
        raise ValueError("a malformed signature block")
    return text, signature


def file_digest(path: Path, end: int) -> bytes:
    """sha256 of the first `end` bytes of the file."""
    digest = hashlib.sha256()
    remaining = end
    with open(path, "rb") as handle:
        while remaining > 0:
            chunk = handle.read(min(remaining, 1 << 20))
            if not chunk:
                raise ValueError("the file ended early")
            digest.update(chunk)
            remaining -= len(chunk)
    return digest.digest()
