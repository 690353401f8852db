"""Tiny but well-formed media files for upload tests (videos, images, and files that only look like
them), so no test ships a binary fixture."""

from __future__ import annotations

import struct

from plugins.content.media import sample_mp4


def box(kind: bytes, payload: bytes) -> bytes:
    """One ISO-BMFF box."""
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(seconds: float = 12.5, width: int = 720, height: int = 1280, brand: bytes = b"isom") -> bytes:
    """An MP4 (or MOV with brand `qt  `) whose moov comes after mdat, as many encoders write it."""
    return sample_mp4(seconds, width, height, brand, media=b"\0" * 256)


def mp4_without_moov() -> bytes:
    """Passes the magic-number check but has no movie header: not a playable video."""
    return box(b"ftyp", b"isom\0\0\0\0isommp41") + box(b"mdat", b"\0" * 64)


def webm(milliseconds: float = 8000.0) -> bytes:
    """A WebM header with Info: TimecodeScale 1 ms and Duration."""
    info = b"\x2a\xd7\xb1\x83\x0f\x42\x40" + b"\x44\x89\x88" + struct.pack(">d", milliseconds)
    return b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"\x18\x53\x80\x67\x01" + b"\x15\x49\xa9\x66" + info


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
EXE = b"MZ\x90\x00" + b"\0" * 128
