"""Basic video metadata read from the file itself: duration and frame size.

MP4 and MOV (ISO base media): the `moov/mvhd` box gives timescale and duration, the first video
`trak/tkhd` gives width and height. Boxes are skipped by their sizes, so a `moov` after a large
`mdat` costs a few seeks, never a full read. WebM (Matroska): best effort, the `Segment/Info`
element's Duration and TimecodeScale found in the first megabyte.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

WEBM_SCAN_BYTES = 1024 * 1024
# Containers whose children are boxes (those we descend into to find mvhd and tkhd).
_CONTAINERS = {b"moov", b"trak"}


@dataclass(frozen=True)
class VideoInfo:
    """What the file says about itself; None where it does not say."""

    duration_seconds: float | None = None
    width: int | None = None
    height: int | None = None


def read_video_info(stream: BinaryIO, content_type: str) -> VideoInfo | None:
    """Metadata of a stored video, or None when an MP4/MOV has no readable `mvhd` box."""
    if content_type == "video/webm":
        return _webm_info(stream)
    stream.seek(0, 2)
    end = stream.tell()
    found: dict[str, float | int] = {}
    _walk_boxes(stream, 0, end, found, depth=0)
    if "duration" not in found:
        return None
    return VideoInfo(
        duration_seconds=float(found["duration"]),
        width=int(found["width"]) if found.get("width") else None,
        height=int(found["height"]) if found.get("height") else None,
    )


def _walk_boxes(stream: BinaryIO, start: int, end: int, found: dict, depth: int) -> None:
    offset = start
    while offset + 8 <= end and depth < 4:
        stream.seek(offset)
        header = stream.read(8)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        header_size = 8
        if size == 1:
            large = stream.read(8)
            if len(large) < 8:
                return
            size = struct.unpack(">Q", large)[0]
            header_size = 16
        elif size == 0:
            size = end - offset
        if size < header_size or offset + size > end:
            return  # a truncated or corrupt box: stop rather than read garbage
        body = offset + header_size
        if kind in _CONTAINERS:
            _walk_boxes(stream, body, offset + size, found, depth + 1)
        elif kind == b"mvhd":
            _read_mvhd(stream, body, size - header_size, found)
        elif kind == b"tkhd" and "width" not in found:
            _read_tkhd(stream, body, size - header_size, found)
        offset += size


def _read_mvhd(stream: BinaryIO, body: int, length: int, found: dict) -> None:
    stream.seek(body)
    data = stream.read(min(length, 32))
    if len(data) < 20:
        return
    if data[0] == 1:
        if len(data) < 32:
            return
        timescale, duration = struct.unpack(">IQ", data[20:32])
    else:
        timescale, duration = struct.unpack(">II", data[12:20])
    if timescale:
        found["duration"] = round(duration / timescale, 3)


def _read_tkhd(stream: BinaryIO, body: int, length: int, found: dict) -> None:
    if length < 84:
        return
    # width and height are the box's last 8 bytes, 16.16 fixed point.
    stream.seek(body + length - 8)
    width, height = struct.unpack(">II", stream.read(8))
    if width and height:  # audio tracks carry 0 x 0
        found["width"], found["height"] = width >> 16, height >> 16


def _webm_info(stream: BinaryIO) -> VideoInfo:
    stream.seek(0)
    data = stream.read(WEBM_SCAN_BYTES)
    scale = 1_000_000  # TimecodeScale default: 1 ms in ns
    at = data.find(b"\x2a\xd7\xb1")
    if at >= 0 and at + 4 <= len(data):
        size = data[at + 3] & 0x7F if data[at + 3] & 0x80 else 0
        if 0 < size <= 8 and at + 4 + size <= len(data):
            scale = int.from_bytes(data[at + 4 : at + 4 + size], "big") or scale
    at = data.find(b"\x44\x89")
    duration = None
    if at >= 0 and at + 3 <= len(data):
        marker = data[at + 2]
        if marker == 0x84 and at + 7 <= len(data):
            duration = struct.unpack(">f", data[at + 3 : at + 7])[0]
        elif marker == 0x88 and at + 11 <= len(data):
            duration = struct.unpack(">d", data[at + 3 : at + 11])[0]
    if duration is None or duration != duration or duration < 0:  # NaN or nonsense
        return VideoInfo()
    return VideoInfo(duration_seconds=round(duration * scale / 1e9, 3))


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def sample_mp4(
    seconds: float = 12.5, width: int = 720, height: int = 1280, brand: bytes = b"isom", media: bytes = b""
) -> bytes:
    """A tiny well-formed MP4 (or MOV with brand `qt  `) for demos, tests and benchmarks; `media`
    goes into an `mdat` box placed before `moov`, as many encoders write it."""
    mvhd = struct.pack(">IIIII", 0, 0, 0, 1000, int(seconds * 1000)) + b"\0" * 80
    tkhd = b"\0" * 76 + struct.pack(">II", width << 16, height << 16)
    moov = _box(b"moov", _box(b"mvhd", mvhd) + _box(b"trak", _box(b"tkhd", tkhd)))
    mdat = _box(b"mdat", media) if media else b""
    return _box(b"ftyp", brand + b"\0\0\0\0" + brand + b"mp41") + mdat + moov
