"""The staff and user roles, as one enum every plugin names instead of bare strings.

`Role` is a `StrEnum`: a member equals (and hashes like) its string, so roles stored as strings
(sessions, JWT claims, the user table) compare with members directly. ADMIN holds every staff
role (`core.context.Actor.has_role`)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A role an account holds; every account holds USER, staff add the others."""

    USER = "USER"
    AGENT = "AGENT"
    REVIEWER = "REVIEWER"
    ADMIN = "ADMIN"
    #: Advertising sales staff (review advertiser applications, answer inquiries).
    SALES = "SALES"


#: Roles that make an account staff.
STAFF_ROLES: frozenset[Role] = frozenset({Role.AGENT, Role.REVIEWER, Role.SALES, Role.ADMIN})
