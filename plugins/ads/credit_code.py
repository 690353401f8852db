"""The 18-character unified social credit code (统一社会信用代码, GB 32100-2015) and its check digit."""

from __future__ import annotations

#: The code's alphabet: digits and capital letters without I, O, Z, S and V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Position weights 3^i mod 31 for the first 17 characters.
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: First character: the registering authority (1 organs, 5 civil affairs, 9 industry and commerce, ...).
AUTHORITIES = "123456789ABCDEFGNY"


def check_character(first17: str) -> str:
    """The 18th character for the first 17."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code: str | None) -> str:
    """Upper-cased code without spaces or dashes."""
    return "".join((code or "").split()).replace("-", "").upper()


def is_valid(code: str) -> bool:
    """True for a well-formed code whose check character matches (input already normalised)."""
    if len(code) != 18 or any(char not in ALPHABET for char in code):
        return False
    if code[0] not in AUTHORITIES or not code[2:8].isdigit():
        return False
    return check_character(code[:17]) == code[17]
