"""Integer keys from client text (inside global IDs and cursors): ASCII digits within the signed
64-bit range every database column here holds. Anything else names no row."""

from __future__ import annotations

import binascii

#: The largest primary key a BIGINT (PostgreSQL) or INTEGER (SQLite) column can hold.
MAX_KEY = 2**63 - 1


def is_digits(text: str) -> bool:
    """True for ASCII digits only (`str.isdigit` also accepts "²" and "١", which `int` rejects or
    reads as another number)."""
    return text.isascii() and text.isdigit()


def parse_key(text: str) -> int | None:
    """The key in `text`, or None when it is not ASCII digits or is out of range. Length is
    checked before `int` so a 100 kB digit string costs nothing."""
    if not is_digits(text) or len(text) > len(str(MAX_KEY)):
        return None
    value = int(text)
    return value if value <= MAX_KEY else None


def opaque(text: str) -> str:
    """`text` as URL-safe base64 without padding: the form of global IDs and cursors.

    binascii directly takes half the time of `base64.urlsafe_b64encode`; it runs for every row."""
    encoded = binascii.b2a_base64(text.encode(), newline=False)
    return encoded.translate(_URL_SAFE).rstrip(b"=").decode()


_URL_SAFE = bytes.maketrans(b"+/", b"-_")
