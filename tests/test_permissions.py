"""schema.permissions.Requires: one declaration of who may call a field (a role and/or an app
permission), checked at resolve time and written into the SDL description once."""

from __future__ import annotations

import pytest
import strawberry

from core.context import APP, Actor, RequestContext
from core.errors import Forbidden, NotAuthenticated
from schema.permissions import Requires, requires


@strawberry.type
class Query:
    @strawberry.field(description="The queue.", extensions=requires("AGENT", permission="tickets:read"))
    async def queue(self) -> int:
        return 1


def _context(caller):
    return RequestContext(services=None, caller=caller)  # type: ignore[arg-type]


def test_the_description_names_the_requirement_once_however_often_the_schema_is_built():
    for _ in range(2):
        sdl = strawberry.Schema(query=Query).as_str()
    assert sdl.count("Requires: AGENT or app permission tickets:read.") == 1
    assert '"""The queue. Requires: AGENT or app permission tickets:read."""' in sdl


@pytest.mark.parametrize(
    ("caller", "error"),
    [
        (None, NotAuthenticated),
        (Actor(user_id="1"), Forbidden),
        (Actor(user_id="1", roles=frozenset({"USER", "REVIEWER"})), Forbidden),
        (
            Actor(
                user_id="app:1",
                app_id="1",
                kind=APP,
                roles=frozenset(),
                permissions=frozenset({"appeals:read"}),
            ),
            Forbidden,
        ),
        # an app never holds a role, even if one is put on its actor
        (Actor(user_id="app:1", app_id="1", kind=APP, roles=frozenset({"ADMIN"})), Forbidden),
        (Actor(user_id="1", roles=frozenset({"USER", "AGENT"}), restricted=True), Forbidden),
    ],
)
def test_callers_without_the_role_or_permission_are_refused(caller, error):
    with pytest.raises(error):
        Requires("AGENT", permission="tickets:read").check(_context(caller))


@pytest.mark.parametrize(
    "caller",
    [
        Actor(user_id="1", roles=frozenset({"USER", "AGENT"})),
        Actor(user_id="1", roles=frozenset({"USER", "ADMIN"})),
        Actor(
            user_id="app:1", app_id="1", kind=APP, roles=frozenset(), permissions=frozenset({"tickets:read"})
        ),
    ],
)
def test_the_role_or_the_permission_is_enough(caller):
    Requires("AGENT", permission="tickets:read").check(_context(caller))


def test_user_fields_accept_any_signed_in_user_and_apps_only_with_the_permission():
    user_only = Requires(user=True)
    user_only.check(_context(Actor(user_id="1")))
    with pytest.raises(Forbidden):
        user_only.check(_context(Actor(user_id="app:1", app_id="1", kind=APP, roles=frozenset())))
    restricted = Actor(user_id="1", restricted=True)
    Requires(user=True, allow_restricted=True).check(_context(restricted))
    with pytest.raises(Forbidden):
        user_only.check(_context(restricted))


def test_an_app_caller_is_never_the_user_actor():
    app = Actor(user_id="app:1", app_id="1", kind=APP, roles=frozenset())
    context = _context(app)
    assert context.actor is None and context.caller is app
    user = Actor(user_id="5")
    assert RequestContext(services=None, actor=user).caller is user  # type: ignore[arg-type]
