"""Helpers for tests that talk to the API as a client would (HTTP via httpx's ASGI transport)."""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from core.db import use_orm
from core.settings import Settings
from selfserve.app import create_app

REGISTER = """
mutation Register($input: AccountRegisterInput!) {
  accountRegister(input: $input) {
    __typename
    ... on AuthSession { accessToken refreshToken user { id displayName } }
    ... on AccountError { code field message }
  }
}
"""
LOGIN = """mutation L($input: AccountLoginInput!) { accountLogin(input: $input) {
  ... on AuthSession { accessToken restricted } } }"""

_counter = itertools.count(1)


@dataclass
class Account:
    """A signed-up test user."""

    email: str
    password: str
    token: str
    refresh_token: str
    id: str
    headers: dict[str, str] = field(default_factory=dict)


class Client:
    """A GraphQL client over an app (in-process HTTP)."""

    def __init__(self, http: httpx.AsyncClient, app: Any) -> None:
        self.http = http
        self.app = app

    @property
    def services(self) -> Any:
        """The app's process services (for assertions on storage, redis, outbox)."""
        return self.app.state.services

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST a GraphQL request; returns the JSON body (asserting it is JSON)."""
        all_headers = {"Accept": "application/graphql-response+json", **(headers or {})}
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )
        assert response.status_code < 500, response.text
        return response.json()

    async def upload(
        self,
        query: str,
        variables: dict[str, Any],
        files: dict[str, tuple[str, bytes, str]],
        *,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A GraphQL multipart request; `files` maps a variables path (e.g. `input.file`) to a file."""
        mapping = {str(i): [f"variables.{path}"] for i, path in enumerate(files)}
        parts = {str(i): spec for i, spec in enumerate(files.values())}
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": query, "variables": variables}),
                "map": json.dumps(mapping),
            },
            files=parts,
            headers=headers,
        )
        assert response.status_code < 500, response.text
        return response.json()

    async def _warm_actor_cache(self, token: str) -> None:
        """Fill the process's actor cache for a new token without a request (which the rate
        limiter would count), so a test's first and later requests cost the same SQL."""
        from plugins.account.sessions import actor_for_access_token

        if getattr(self.services, "caches", None) is None:
            return
        with use_orm(self.services.orm):
            await actor_for_access_token(self.services, token)

    async def signup(
        self,
        email: str | None = None,
        password: str = "correct horse battery",
        name: str = "Test User",
        roles: tuple[str, ...] = (),
    ) -> Account:
        """Register a user (optionally granting staff roles directly in the database)."""
        email = email or f"user{next(_counter)}@example.com"
        body = await self.gql(
            REGISTER, {"input": {"email": email, "password": password, "displayName": name}}
        )
        result = body["data"]["accountRegister"]
        assert result["__typename"] == "AuthSession", body
        if roles:
            await grant_roles(self.services, email, roles)
        await self._warm_actor_cache(result["accessToken"])
        return Account(
            email=email,
            password=password,
            token=result["accessToken"],
            refresh_token=result["refreshToken"],
            id=result["user"]["id"],
            headers={"Authorization": f"Bearer {result['accessToken']}"},
        )


async def grant_roles(services: Any, email: str, roles: tuple[str, ...]) -> None:
    """Give the user with `email` staff `roles` directly in the database (test setup: no API hands
    out the first admin)."""
    from plugins.account.models import User

    with use_orm(services.orm):
        # Saving the row drops only this user's cached actors (a bulk update drops them all).
        user = await User.get(email=email)
        user.roles = list(roles)
        await user.save(update_fields=["roles"])


async def scrape_metrics(client, *, token: str | None = None, peer: str = "127.0.0.1") -> dict[tuple, float]:
    """`GET /metrics` as a scraper on `peer`; samples keyed by (name, sorted labels)."""
    transport = httpx.ASGITransport(app=client.app, client=(peer, 40000))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answer = await http.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return parse_metrics(answer.text)


def parse_metrics(text: str) -> dict[tuple, float]:
    """Prometheus text as {(sample name, ((label, value), ...)): value}."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def metric_value(samples: dict[tuple, float], name: str, **labels: str) -> float:
    """A sample's value, 0 when absent."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def db(client: Client, factory: Callable[[], Awaitable[Any]]) -> Any:
    """Run an ORM call in the app's database context: `await db(client, lambda: Model.get(...))`."""
    with use_orm(client.services.orm):
        return await factory()


def error_code(body: dict[str, Any]) -> str:
    """The top-level error code of a response."""
    return body["errors"][0]["extensions"]["code"]


def settings_for(backend: Any, var_dir: Any, **overrides: Any) -> Settings:
    """Settings for a test app on `backend`."""
    values: dict[str, Any] = {
        "env": "test",
        "var_dir": var_dir,
        "database_url": backend.database_url,
        "redis_url": backend.redis_url,
        "secret_key": "test-secret-key-that-is-long-enough-for-hkdf",
        # Test apps build the assistant's model lazily on the first question (seconds of CPU on a
        # shared machine): the production deadline would cut it off. Fault tests set their own.
        "request_deadline_seconds": 300,
    }
    values.update(overrides)
    return Settings(**values)


@contextlib.asynccontextmanager
async def running_app(settings: Settings, **kwargs: Any) -> AsyncIterator[Client]:
    """An app with its lifespan running and a client for it."""
    app = create_app(settings, **kwargs)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
                yield Client(http, app)
    finally:
        # Collect what the closed app left behind now, at a safe point. Left to chance, a garbage
        # collection could run the finalizer of a straggling task in the middle of the next app's
        # `ast.parse` (tortoise reads model sources at start-up), which CPython 3.11.7 reports as
        # "SystemError: AST constructor recursion depth mismatch" (fixed in later 3.11 releases).
        gc.collect()


@contextlib.contextmanager
def sync_app_client(settings: Settings, **kwargs: Any) -> Iterator[TestClient]:
    """An app with its lifespan running behind starlette's sync `TestClient` (websocket tests: the
    in-process httpx transport speaks no websocket). `client.app.state.services` are its services;
    `client.portal.call(...)` runs a coroutine in the app's event loop."""
    with TestClient(create_app(settings, **kwargs)) as client:
        yield client


async def make_verified_adult(client: Client, account: Account, birth_year: int = 1990) -> None:
    """Mark a test user as real-name VERIFIED and adult (database setup for payment tests)."""
    from datetime import date

    from plugins.account.models import RealNameVerification

    user_id = int(account_user_pk(account))
    with use_orm(client.services.orm):
        await RealNameVerification.update_or_create(
            user_id=user_id,
            defaults={
                "status": "VERIFIED",
                "full_name_enc": "",
                "id_number_enc": "",
                "id_hash": f"test-{user_id}",
                "masked_id_number": "1101**********0000",
                "birth_date": date(birth_year, 1, 1),
            },
        )


async def grant_entitlement(client: Client, account: Account, entitlement: str, days: int = 30) -> None:
    """Grant a user an entitlement the way an admin's grant does (`plugins.premium.api.grant_many`)."""
    from plugins.premium.api import grant_many

    with use_orm(client.services.orm):
        await grant_many(
            client.services,
            user_ids=[int(account_user_pk(account))],
            entitlement=entitlement,
            days=days,
            note="test grant",
            admin_id=None,
        )


def account_user_pk(account: Account) -> str:
    """The database id inside an account's global id."""
    from schema.relay import from_global_id

    return from_global_id(account.id, "User")[1]
