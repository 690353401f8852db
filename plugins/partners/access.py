"""Who may see partner objects through `node(id:)`: admins every app, an app itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.roles import Role
from plugins.partners import models
from plugins.partners.types import App


async def load_apps(ids: Sequence[str], context: Any = None) -> list[Any]:
    """`App` objects in the order of `ids` (None where missing)."""
    wanted = [int(i) for i in ids if str(i).isdigit()]
    found = {row.pk: row for row in await models.App.filter(id__in=wanted)}
    return [App.from_model(found[int(i)]) if str(i).isdigit() and int(i) in found else None for i in ids]


def can_view_app(app: App, context: Any) -> bool:
    """Admins, or the app itself."""
    caller = context.caller
    if caller is None:
        return False
    if caller.is_app:
        return caller.app_id == str(app.pk)
    return caller.has_role(Role.ADMIN)
