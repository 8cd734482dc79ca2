"""Checking a SQLite write-ahead log before SQLite opens it.

SQLite reads a WAL frame by frame and stops, without a word, at the first frame whose
checksum or salt does not match: a log whose header or frames were overwritten loses
the transactions committed in it and is then deleted. Reading the header and the frame
checksums first (https://www.sqlite.org/fileformat2.html#walformat) lets the program keep
such a log aside and tell the user instead.

Frames left over from before a checkpoint carry the older salts: they are stale, not damage.
A bad frame that no commit frame follows is a transaction cut off by a crash, which SQLite
rightly discards; a bad frame in or before a commit frame is a committed transaction lost.
"""

from __future__ import annotations

import struct
from pathlib import Path

HEADER = 32
FRAME_HEADER = 24
MAGIC = {0x377F0682: "<", 0x377F0683: ">"}  # the checksum's word order
VERSION = 3007000
MASK = 0xFFFFFFFF


def _checksum(data: bytes, order: str, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & MASK
        s1 = (s1 + words[i + 1] + s0) & MASK
    return s0, s1


def wal_problem(path: Path) -> str | None:
    """Why the log at `path` is damaged, or None when it is absent, empty or sound."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if not data:
        return None
    if len(data) < HEADER:
        return f"the log is {len(data)} bytes, shorter than its header"
    magic, version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:HEADER])
    order = MAGIC.get(magic)
    if order is None:
        return "the log does not start with a SQLite WAL header"
    if version != VERSION:
        return f"unknown WAL format version {version}"
    if (c1, c2) != _checksum(data[:24], order):
        return "the log's header checksum does not match"
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return f"the log names an impossible page size ({page_size})"
    s0, s1 = c1, c2
    offset = HEADER
    frame = FRAME_HEADER + page_size
    index = 0
    while offset + frame <= len(data):
        head = data[offset:offset + FRAME_HEADER]
        _page, _size, f_salt1, f_salt2, f1, f2 = struct.unpack(">6I", head)
        if (f_salt1, f_salt2) != (salt1, salt2):
            return None  # frames of an earlier log generation: SQLite ignores them, rightly
        s0, s1 = _checksum(head[:8], order, s0, s1)
        s0, s1 = _checksum(data[offset + FRAME_HEADER:offset + frame], order, s0, s1)
        if (f1, f2) != (s0, s1):
            if _commit_from(data, offset, frame, salt1, salt2):
                return f"frame {index + 1} of the log is damaged (checksum mismatch) in a committed transaction"
            return None
        offset += frame
        index += 1
    return None


def _commit_from(data: bytes, offset: int, frame: int, salt1: int, salt2: int) -> bool:
    """Whether a commit frame of this log generation lies at or after `offset`."""
    while offset + frame <= len(data):
        _page, size, f_salt1, f_salt2 = struct.unpack(">4I", data[offset:offset + 16])
        if (f_salt1, f_salt2) != (salt1, salt2):
            return False
        if size:
            return True
        offset += frame
    return False
