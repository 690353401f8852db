"""Per-process caches never outlive the change (issue 18): two real `selfserve serve` processes on
one PostgreSQL and one Redis, every cache on (the actor cache with its default TTL, the entitlement
cache). A ban, a session revocation and an entitlement revocation done through process A apply to
process B's very next request."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid

import asyncpg
import pytest

from tests.faults.servers import ROOT, deployment, post
from tests.helpers import REGISTER

pytestmark = pytest.mark.services

PASSWORD = "correct horse battery"
ME = "query { me { displayName status } }"
LOGIN = """mutation L($input: AccountLoginInput!) { accountLogin(input: $input) {
  __typename ... on AuthSession { accessToken user { id } } } }"""
BAN = """mutation Ban($input: ModerationBanInput!) { moderationBanAccount(input: $input) {
  __typename ... on ContentError { code } } }"""
REVOKE_OTHERS = "mutation { accountSessionsRevokeOthers }"
BULK = """mutation B($input: EntitlementGrantBulkInput!) { entitlementGrantBulk(input: $input) { __typename } }"""
REVOKE = """mutation R($input: EntitlementRevokeInput!) { entitlementRevoke(input: $input) {
  __typename ... on EntitlementRevoked { revoked } } }"""
REPORT = "{ analyticsReport { __typename } }"


@pytest.fixture
async def services_backend(backend):
    if not backend.is_real:
        pytest.skip("the two-process test needs PostgreSQL + Redis (SELFSERVE_TEST_BACKEND=services)")
    return backend


def _gql(server, query, variables=None, token=None) -> dict:
    connection = server.connection()
    try:
        response, body = post(connection, query, variables, token)
    finally:
        connection.close()
    assert response.status == 200, body
    return body


def _signup(server, name: str) -> tuple[str, str, str]:
    email = f"cache-{uuid.uuid4().hex[:10]}@example.com"
    body = _gql(server, REGISTER, {"input": {"email": email, "password": PASSWORD, "displayName": name}})
    result = body["data"]["accountRegister"]
    assert result["__typename"] == "AuthSession", body
    return email, result["accessToken"], result["user"]["id"]


def _login(server, email: str) -> str:
    body = _gql(server, LOGIN, {"input": {"login": email, "password": PASSWORD}})
    assert body["data"]["accountLogin"]["__typename"] == "AuthSession", body
    return body["data"]["accountLogin"]["accessToken"]


def _admin(group, server) -> str:
    email = f"admin-{uuid.uuid4().hex[:10]}@example.com"
    subprocess.run(
        [sys.executable, "-m", "selfserve.cli", "user", "create", "--email", email, "--password", PASSWORD,
         "--role", "admin"],
        cwd=ROOT, env=group.env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return _login(server, email)


async def _rename_behind_the_caches(database_url: str, name: str, new: str) -> None:
    """A write no cache hears of: proves process B answers from its cache."""
    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute(
            "UPDATE account_user SET display_name = $1 WHERE display_name = $2", new, name
        )
    finally:
        await connection.close()


def _two_processes(group):
    return group.start_api(), group.start_api()


async def test_ban_session_revocation_and_entitlement_revocation_reach_the_other_process_at_once(
    services_backend, tmp_path
):
    with deployment(services_backend, tmp_path) as group:
        a, b = await asyncio.to_thread(_two_processes, group)
        group.start_worker()  # runs the bulk grant's batch job
        admin = await asyncio.to_thread(_admin, group, a)
        name = f"Victim {uuid.uuid4().hex[:6]}"
        email, token, user_id = await asyncio.to_thread(_signup, a, name)

        # B caches the actor: a write that bypasses every invalidation stays unseen on B...
        first = await asyncio.to_thread(_gql, b, ME, None, token)
        assert first["data"]["me"] == {"displayName": name, "status": "ACTIVE"}
        await _rename_behind_the_caches(services_backend.database_url, name, name + " (renamed)")
        cached = await asyncio.to_thread(_gql, b, ME, None, token)
        assert cached["data"]["me"] == {"displayName": name, "status": "ACTIVE"}

        # ...but a ban through A is on B's very next request.
        ban = {"userId": user_id, "reason": "IMPERSONATION", "statement": "Pretends to be a celebrity."}
        banned = await asyncio.to_thread(_gql, a, BAN, {"input": ban}, admin)
        assert banned["data"]["moderationBanAccount"]["__typename"] == "Decision", banned
        after_ban = await asyncio.to_thread(_gql, b, ME, None, token)
        assert after_ban["data"]["me"] == {"displayName": name + " (renamed)", "status": "BANNED"}

        # Session revocation: the other session's token on B is anonymous from the next request.
        email2, keeper, _ = await asyncio.to_thread(_signup, a, "Keeper")
        other = await asyncio.to_thread(_login, a, email2)
        for _ in range(2):  # miss, then a hit
            seen = await asyncio.to_thread(_gql, b, ME, None, other)
            assert seen["data"]["me"] == {"displayName": "Keeper", "status": "ACTIVE"}
        revoked = await asyncio.to_thread(_gql, a, REVOKE_OTHERS, None, keeper)
        assert revoked["data"]["accountSessionsRevokeOthers"] == 1, revoked
        gone = await asyncio.to_thread(_gql, b, ME, None, other)
        assert gone["data"]["me"] is None
        kept = await asyncio.to_thread(_gql, b, ME, None, keeper)
        assert kept["data"]["me"] == {"displayName": "Keeper", "status": "ACTIVE"}

        # Entitlement revocation through A: B's next request is refused the paid field.
        _, holder, holder_id = await asyncio.to_thread(_signup, a, "Holder")
        grant = {
            "entitlement": "analytics_report",
            "segment": {"userIds": [holder_id]},
            "days": 30,
            "reason": "gift",
        }
        accepted = await asyncio.to_thread(_gql, a, BULK, {"input": grant}, admin)
        assert accepted["data"]["entitlementGrantBulk"]["__typename"] == "BulkGrantResult", accepted
        deadline = time.monotonic() + 60
        while True:  # the grant is written by the worker's batch job
            report = await asyncio.to_thread(_gql, b, REPORT, None, holder)
            if (
                report["data"]["analyticsReport"]["__typename"] == "AnalyticsReport"
                or time.monotonic() > deadline
            ):
                break
            await asyncio.sleep(0.3)
        assert report["data"]["analyticsReport"]["__typename"] == "AnalyticsReport", report
        again = await asyncio.to_thread(_gql, b, REPORT, None, holder)
        assert again["data"]["analyticsReport"]["__typename"] == "AnalyticsReport"
        revoke = {"entitlement": "analytics_report", "userId": holder_id, "reason": "abuse"}
        ended = await asyncio.to_thread(_gql, a, REVOKE, {"input": revoke}, admin)
        assert ended["data"]["entitlementRevoke"] == {"__typename": "EntitlementRevoked", "revoked": 1}, ended
        refused = await asyncio.to_thread(_gql, b, REPORT, None, holder)
        assert refused["data"]["analyticsReport"]["__typename"] == "EntitlementRequired", refused
