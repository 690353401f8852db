"""File storage: content-addressed, size- and type-checked by content (never by name).

Local disk under `var/media` by default; an S3-compatible backend would implement `Storage`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from core.errors import DomainError

CHUNK = 1024 * 1024

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm"})
DOCUMENT_TYPES = frozenset({"application/pdf"})


def sniff_content_type(head: bytes) -> str | None:
    """The real type of a file from its first bytes, or None when it is none we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "video/quicktime" if brand == b"qt  " else "video/mp4"
    return None


@dataclass(frozen=True)
class StoredFile:
    """A stored file: `key` is its SHA-256, so identical uploads are stored once."""

    key: str
    content_type: str
    size: int
    filename: str = ""


class Storage(Protocol):
    """What a storage backend provides."""

    async def save(
        self, upload: Any, *, allowed: frozenset[str], max_bytes: int, field: str
    ) -> StoredFile: ...

    async def save_bytes(self, data: bytes, *, content_type: str) -> StoredFile: ...

    def open(self, key: str) -> Any: ...

    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files on local disk, in `root/<aa>/<sha256>`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, key: str) -> Path:
        """Where the file with `key` lives."""
        return self.root / key[:2] / key

    async def save(
        self, upload: Any, *, allowed: frozenset[str], max_bytes: int, field: str = "file"
    ) -> StoredFile:
        """Store an uploaded file (starlette `UploadFile` or bytes) after checking size and type.

        Raises `DomainError` with `FILE_TOO_LARGE` or `FILE_TYPE_NOT_ALLOWED`; nothing is kept then.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        filename = getattr(upload, "filename", "") or ""
        digest = hashlib.sha256()
        size = 0
        head = b""
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                async for chunk in _chunks(upload):
                    size += len(chunk)
                    if size > max_bytes:
                        raise DomainError("FILE_TOO_LARGE", field=field, limit_mb=max_bytes // (1024 * 1024))
                    if len(head) < 64:
                        head += chunk[: 64 - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
            content_type = sniff_content_type(head)
            if size == 0 or content_type not in allowed:
                raise DomainError("FILE_TYPE_NOT_ALLOWED", field=field)
            key = digest.hexdigest()
            target = self.path_for(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, target)
            return StoredFile(key=key, content_type=content_type, size=size, filename=filename[:200])
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)

    async def save_bytes(self, data: bytes, *, content_type: str) -> StoredFile:
        """Store bytes the caller has already checked, e.g. the ciphertext of a checked ID photo
        (`content_type` is recorded, not sniffed: encrypted data has no recognisable type)."""
        key = hashlib.sha256(data).hexdigest()
        target = self.path_for(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp_name, target)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
        return StoredFile(key=key, content_type=content_type, size=len(data))

    def open(self, key: str) -> Any:
        """Open a stored file for reading."""
        return self.path_for(key).open("rb")

    def delete(self, key: str) -> None:
        """Remove a stored file (retention); a missing file is no error."""
        self.path_for(key).unlink(missing_ok=True)


async def _chunks(upload: Any):
    if isinstance(upload, (bytes, bytearray)):
        for start in range(0, len(upload), CHUNK):
            yield bytes(upload[start : start + CHUNK])
        return
    await upload.seek(0)
    while True:
        chunk = await upload.read(CHUNK)
        if not chunk:
            return
        yield chunk
