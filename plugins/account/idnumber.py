"""Mainland China resident ID numbers (GB 11643-1999): check digit, birth date, region code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.errors import DomainError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
SHAPE = re.compile(r"^\d{17}[\dX]$")
#: First two digits: provinces, autonomous regions, municipalities, and 71/81/82/83 (Taiwan, Hong
#: Kong, Macao residents' permits issued in the same format).
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)


@dataclass(frozen=True)
class ResidentId:
    """A valid ID number, normalised (upper-case X)."""

    number: str
    birth_date: date

    @property
    def masked(self) -> str:
        """`110101199003071234` -> `1101**********1234`."""
        return f"{self.number[:4]}{'*' * 10}{self.number[-4:]}"


def check_digit(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character of the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse(value: str, today: date, field: str = "idNumber") -> ResidentId:
    """Validate an 18-digit resident ID; INVALID_ID_NUMBER when any part is wrong."""
    number = re.sub(r"\s", "", value or "").upper()
    if not SHAPE.match(number):
        raise DomainError("INVALID_ID_NUMBER", field=field)
    if int(number[:2]) not in PROVINCES or number[2:6] == "0000":
        raise DomainError("INVALID_ID_NUMBER", field=field)
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise DomainError("INVALID_ID_NUMBER", field=field) from None
    if born.year < 1900 or born > today:
        raise DomainError("INVALID_ID_NUMBER", field=field)
    if check_digit(number[:17]) != number[17]:
        raise DomainError("INVALID_ID_NUMBER", field=field)
    return ResidentId(number=number, birth_date=born)


def age_on(birth_date: date, today: date) -> int:
    """Whole years between `birth_date` and `today`."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
