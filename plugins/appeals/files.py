"""Downloads of appeal evidence: the appellant and reviewers, nobody else."""

from __future__ import annotations

from typing import Any

from core.context import Services
from core.files import FileClaims, FileGrant, file_route, signed_url
from core.roles import Role
from plugins.account.api import actor_for_session
from plugins.appeals.models import Appeal

KIND = "appeal-evidence"


def evidence_url(context: Any, appeal_pk: int, index: int) -> str | None:
    """The signed URL of evidence file `index` of an appeal, for the request's user."""
    return signed_url(context.services, context.actor, KIND, f"{appeal_pk}:{index}")


async def authorize(services: Services, claims: FileClaims) -> FileGrant | None:
    """The evidence file, if the URL's holder may still open it: the appellant (even banned: an
    appeal is how a banned user gets out) or a reviewer on a normal session."""
    appeal_pk, _, index = claims.ref.partition(":")
    if not (appeal_pk.isdigit() and index.isdigit()):
        return None
    actor = await actor_for_session(services, claims.user_id, claims.session_id)
    appeal = await Appeal.get_or_none(id=int(appeal_pk))
    if actor is None or appeal is None or int(index) >= len(appeal.evidence or []):
        return None
    owner_id = str(appeal.user_id)
    reviewer = actor.has_role(Role.REVIEWER) and not actor.restricted
    if not (reviewer or actor.user_id == owner_id):
        return None
    evidence = appeal.evidence[int(index)]
    return FileGrant(
        key=evidence["key"], filename=evidence.get("filename", ""), owner_id=owner_id, actor=actor
    )


def routes() -> list[Any]:
    """The evidence download route."""
    return [file_route(KIND, authorize)]
