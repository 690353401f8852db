"""The per-process caches (core/local_cache.py) and the actor cache built on them (issue 18)."""

from __future__ import annotations

from core.db import QueryCounter, use_orm
from core.local_cache import ALL, LocalCache

ME = "{ me { displayName status } }"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_cache(clock: Clock | None = None, live=lambda: 1, size: int = 3) -> LocalCache:
    return LocalCache(max_entries=size, ttl_seconds=10, live=live, clock=clock or Clock())


def test_entries_expire_after_the_ttl_or_their_own_expiry():
    clock = Clock()
    cache = make_cache(clock)
    assert cache.put("a", 1, ["t"], cache.generation())
    assert cache.put("b", 2, ["t"], cache.generation(), expires_at=clock.now + 2)
    clock.now += 3
    assert (cache.get("a"), cache.get("b")) == (1, None)
    clock.now += 8
    assert cache.get("a") is None


def test_the_cache_is_bounded_oldest_first():
    cache = make_cache(size=2)
    for key in "abc":
        cache.put(key, key.upper(), [f"tag:{key}"], cache.generation())
    assert len(cache) == 2
    assert [cache.get(k) for k in "abc"] == [None, "B", "C"]


def test_invalidation_drops_tagged_entries_and_all_drops_everything():
    cache = make_cache()
    cache.put("a", 1, ["user:1", "session:x"], cache.generation())
    cache.put("b", 2, ["user:2"], cache.generation())
    cache.invalidate(["session:x"])
    assert (cache.get("a"), cache.get("b")) == (None, 2)
    cache.invalidate([ALL])
    assert cache.get("b") is None
    assert len(cache) == 0


def test_a_read_racing_an_invalidation_is_not_stored():
    cache = make_cache()
    generation = cache.generation()
    cache.invalidate(["user:9"])  # arrives while the caller reads the database
    assert cache.put("a", 1, ["user:1"], generation) is False
    assert cache.get("a") is None


def test_nothing_is_served_unless_the_invalidation_channel_is_live_on_the_same_connection():
    connection = {"now": None}
    cache = make_cache(live=lambda: connection["now"])
    assert cache.put("a", 1, ["t"], cache.generation()) is False  # not subscribed: not stored
    connection["now"] = 1
    assert cache.put("a", 1, ["t"], cache.generation()) is True
    assert cache.get("a") == 1
    connection["now"] = None  # Redis away: invalidations could be lost
    assert cache.get("a") is None
    cache.put("b", 2, ["t"], cache.generation())
    connection["now"] = 2  # a new connection: what was stored before may have missed messages
    assert cache.put("c", 3, ["t"], cache.generation()) is True
    assert (cache.get("b"), cache.get("c")) == (None, 3)


def test_a_disabled_cache_stores_nothing():
    cache = LocalCache(max_entries=10, ttl_seconds=0, live=lambda: 1)
    assert cache.put("a", 1, ["t"], cache.generation()) is False


async def _rename_behind_the_caches(client, account) -> None:
    from tests.helpers import account_user_pk

    connection = client.services.orm.db("default")
    pk = int(account_user_pk(account))
    await connection.execute_query(f"UPDATE account_user SET display_name = 'Behind' WHERE id = {pk}")


async def test_the_actor_cache_answers_me_without_sql_until_the_user_changes(client):
    account = await client.signup(name="Cached")
    first = await client.gql(ME, token=account.token)
    assert first["data"]["me"] == {"displayName": "Cached", "status": "ACTIVE"}
    with QueryCounter() as counted:
        hit = await client.gql(ME, token=account.token)
    assert hit["data"]["me"] == {"displayName": "Cached", "status": "ACTIVE"}
    assert counted.count == 0
    # A write no hook sees (raw SQL) is not noticed: the entry really is served from memory...
    await _rename_behind_the_caches(client, account)
    still = await client.gql(ME, token=account.token)
    assert still["data"]["me"]["displayName"] == "Cached"
    # ...and any ORM write to the user row (here a ban) drops it at once.
    from plugins.account.models import User
    from tests.helpers import account_user_pk

    with use_orm(client.services.orm):
        await User.filter(id=int(account_user_pk(account))).update(status="BANNED")
    banned = await client.gql(ME, token=account.token)
    assert banned["data"]["me"] == {"displayName": "Behind", "status": "BANNED"}


async def test_a_saved_user_record_and_a_revoked_session_apply_to_the_next_request(client):
    account = await client.signup(name="Saver")
    await client.gql(ME, token=account.token)
    await client.gql(ME, token=account.token)
    from plugins.account.models import User
    from tests.helpers import account_user_pk

    with use_orm(client.services.orm):
        user = await User.get(id=int(account_user_pk(account)))
        user.display_name = "Saved"
        await user.save()
    renamed = await client.gql(ME, token=account.token)
    assert renamed["data"]["me"] == {"displayName": "Saved", "status": "ACTIVE"}
    revoked = await client.gql("mutation { accountLogout }", token=account.token)
    assert "errors" not in revoked, revoked
    gone = await client.gql(ME, token=account.token)
    assert gone["data"]["me"] is None


async def test_cached_actors_are_copies_a_resolver_cannot_change_the_next_request(client):
    account = await client.signup(name="Copy")
    await client.gql(ME, token=account.token)
    from plugins.account.sessions import ACTOR_CACHE, actor_for_access_token

    with use_orm(client.services.orm):
        one = await actor_for_access_token(client.services, account.token)
        one.record.display_name = "Changed in memory"
        one.record.roles.append("ADMIN")
        two = await actor_for_access_token(client.services, account.token)
    assert len(client.services.caches.cache(ACTOR_CACHE)) >= 1
    assert two.record.display_name == "Copy"
    assert "ADMIN" not in two.record.roles
    assert two.roles == frozenset({"USER"})
