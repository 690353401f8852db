"""Downloads of advertiser documents: the applicant and ads staff (REVIEWER, SALES)."""

from __future__ import annotations

from typing import Any

from core.context import Services
from core.files import FileClaims, FileGrant, file_route, signed_url
from plugins.account.api import actor_for_session
from plugins.ads import rules
from plugins.ads.models import AdApplication

KIND = "ad-document"


def document_url(context: Any, application_pk: int, index: int) -> str | None:
    """The signed URL of document `index` of an application (0 is the licence, then the
    documents in order), for the request's user."""
    return signed_url(context.services, context.actor, KIND, f"{application_pk}:{index}")


def _document(application: AdApplication, index: int) -> dict[str, Any] | None:
    files = [application.licence, *(application.documents or [])]
    return files[index] if index < len(files) else None


async def authorize(services: Services, claims: FileClaims) -> FileGrant | None:
    """The document, if the URL's holder may still open it: the applicant or ads staff."""
    application_pk, _, index = claims.ref.partition(":")
    if not (application_pk.isdigit() and index.isdigit()):
        return None
    actor = await actor_for_session(services, claims.user_id, claims.session_id)
    if actor is None or actor.restricted:
        return None
    application = await AdApplication.get_or_none(id=int(application_pk))
    document = _document(application, int(index)) if application is not None else None
    if application is None or document is None:
        return None
    owner_id = str(application.applicant_id)
    if not (actor.has_role(*rules.STAFF_ROLES) or actor.user_id == owner_id):
        return None
    return FileGrant(
        key=document["key"], filename=document.get("filename", ""), owner_id=owner_id, actor=actor
    )


def routes() -> list[Any]:
    """The document download route."""
    return [file_route(KIND, authorize)]
