"""Payments benchmark: recharge creation, signed webhook credits, idempotent replays, premium
purchases, and a storm of 50 identical refunds spread over two API processes (exactly one must take
effect). PostgreSQL + Redis. Prints figures; the only checks are the money invariants.

Environment: SELFSERVE_BENCH_DATABASE_URL and SELFSERVE_BENCH_REDIS_URL (a scratch database),
BENCH_REQUESTS (default 300), BENCH_CONCURRENCY (default 16).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import tempfile
import time
import uuid

import httpx

from bench.common import free_port, load, server

SECRET = "bench-secret-key-bench-secret-key-0123456789"
REGISTER = "mutation($input: AccountRegisterInput!) { accountRegister(input: $input) { ... on AuthSession { accessToken user { id } } } }"
RECHARGE = "mutation($input: RechargeCreateInput!) { rechargeCreate(input: $input) { __typename ... on RechargeOrder { id paymentUrl } } }"
REFUND = "mutation($input: RefundRequestInput!) { refundRequest(input: $input) { __typename ... on Refund { id } ... on PaymentError { code } } }"
PURCHASE = "mutation($input: PremiumPurchaseInput!) { premiumPurchase(input: $input) { __typename } }"
WALLET = "{ wallet { balance } }"


def environment(var_dir: str) -> dict[str, str]:
    database, redis = (
        os.environ.get("SELFSERVE_BENCH_DATABASE_URL"),
        os.environ.get("SELFSERVE_BENCH_REDIS_URL"),
    )
    if not database or not redis:
        raise SystemExit(
            "set SELFSERVE_BENCH_DATABASE_URL and SELFSERVE_BENCH_REDIS_URL (PostgreSQL + Redis)"
        )
    return {
        "SELFSERVE_VAR_DIR": var_dir,
        "SELFSERVE_SECRET_KEY": SECRET,
        "SELFSERVE_ENV": "development",
        "SELFSERVE_PLUGINS": "account,content,payments,premium",
        "SELFSERVE_DATABASE_URL": database,
        "SELFSERVE_REDIS_URL": redis,
    }


async def gql(
    client: httpx.AsyncClient, base: str, query: str, variables: dict, token: str | None = None
) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        base + "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return response.json()


async def verify(env: dict[str, str], user_ids: list[str]) -> None:
    """Mark users VERIFIED adults directly in the database (what a reviewer would do)."""
    from core import db
    from core.db import use_orm
    from core.plugins import get_plugin_manager
    from core.settings import Settings
    from plugins.account.models import RealNameVerification
    from schema.relay import from_global_id

    settings = Settings(database_url=env["SELFSERVE_DATABASE_URL"], plugins=env["SELFSERVE_PLUGINS"])
    orm = await db.open_orm(settings, get_plugin_manager(settings.plugin_names))
    try:
        with use_orm(orm):
            for global_id in user_ids:
                pk = int(from_global_id(global_id, "User")[1])
                await RealNameVerification.update_or_create(
                    user_id=pk,
                    defaults={
                        "status": "VERIFIED",
                        "full_name_enc": "",
                        "id_number_enc": "",
                        "id_hash": f"bench-{pk}",
                        "masked_id_number": "1101**********0000",
                        "birth_date": __import__("datetime").date(1990, 1, 1),
                    },
                )
    finally:
        await db.close_orm(orm)


def signed(body: bytes) -> dict[str, str]:
    from core.security import derive_key
    from plugins.payments.providers.sandbox import SIGNATURE_HEADER, sign

    return {
        SIGNATURE_HEADER: sign(derive_key(SECRET, "payments-sandbox-webhook"), body),
        "Content-Type": "application/json",
    }


async def main() -> None:
    total = int(os.environ.get("BENCH_REQUESTS", "300"))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "16"))
    with tempfile.TemporaryDirectory() as var_dir, contextlib.ExitStack() as stack:
        env = environment(var_dir)
        first = stack.enter_context(server("selfserve.asgi:app", free_port(), env))
        second = stack.enter_context(server("selfserve.asgi:app", free_port(), env))
        async with httpx.AsyncClient(timeout=60) as client:
            users = []
            for _ in range(2):
                email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
                body = await gql(
                    client,
                    first,
                    REGISTER,
                    {"input": {"email": email, "password": "bench password 1", "displayName": "B"}},
                )
                users.append(body["data"]["accountRegister"])
            await verify(env, [u["user"]["id"] for u in users])
            buyer, storm = (u["accessToken"] for u in users)

        orders: list[dict] = []

        async def recharge(c: httpx.AsyncClient) -> bool:
            body = await gql(
                c,
                first,
                RECHARGE,
                {"input": {"coins": 10, "channel": "sandbox", "idempotencyKey": str(uuid.uuid4())}},
                buyer,
            )
            order = body["data"]["rechargeCreate"]
            orders.append(order)
            return order["__typename"] == "RechargeOrder"

        print(
            f"payments benchmark: 2 API processes, PostgreSQL + Redis, {total} requests, concurrency {concurrency}"
        )
        print(
            (
                await load(
                    "rechargeCreate (new keys)", recharge, concurrency=concurrency, total=total, warmup=10
                )
            ).line()
        )

        # the provider ref is the last part of each payment URL
        refs = [o["paymentUrl"].rsplit("/", 1)[1] for o in orders if o.get("paymentUrl")]
        pending = iter(refs)

        async def webhook(c: httpx.AsyncClient) -> bool:
            ref = next(pending, None)
            if ref is None:
                return True
            body = json.dumps(
                {
                    "id": "evt_" + uuid.uuid4().hex,
                    "type": "payment.succeeded",
                    "data": {"order_ref": ref, "amount": 100, "currency": "CNY"},
                    "created": int(time.time()),
                }
            ).encode()
            response = await c.post(second + "/payments/webhooks/sandbox", content=body, headers=signed(body))
            return response.status_code == 200

        print(
            (
                await load(
                    "signed webhook credit", webhook, concurrency=concurrency, total=len(refs) - 10, warmup=10
                )
            ).line()
        )

        replay_key = str(uuid.uuid4())

        async def replay(c: httpx.AsyncClient) -> bool:
            body = await gql(
                c,
                first,
                RECHARGE,
                {"input": {"coins": 10, "channel": "sandbox", "idempotencyKey": replay_key}},
                buyer,
            )
            return body["data"]["rechargeCreate"]["__typename"] == "RechargeOrder"

        print(
            (
                await load(
                    "rechargeCreate (replayed key)", replay, concurrency=concurrency, total=total, warmup=10
                )
            ).line()
        )

        async def purchase(c: httpx.AsyncClient) -> bool:
            body = await gql(
                c,
                first,
                PURCHASE,
                {"input": {"product": "priority_support", "idempotencyKey": str(uuid.uuid4())}},
                buyer,
            )
            return body["data"]["premiumPurchase"]["__typename"] in ("PremiumSubscription", "PaymentError")

        async with httpx.AsyncClient(timeout=60) as client:
            before = (await gql(client, first, WALLET, {}, buyer))["data"]["wallet"]["balance"]
        print(
            (
                await load(
                    "premiumPurchase (new keys)",
                    purchase,
                    concurrency=concurrency,
                    total=min(total, before // 200 + 5),
                    warmup=0,
                )
            ).line()
        )

        async with httpx.AsyncClient(timeout=60) as client:
            body = await gql(
                client,
                first,
                RECHARGE,
                {"input": {"coins": 500, "channel": "sandbox", "idempotencyKey": str(uuid.uuid4())}},
                storm,
            )
            order = body["data"]["rechargeCreate"]
            await client.post(
                first + "/payments/sandbox/pay/" + order["paymentUrl"].rsplit("/", 1)[1],
                data={"outcome": "success"},
            )
            key = str(uuid.uuid4())
            started = time.perf_counter()
            results = await asyncio.gather(
                *(
                    gql(
                        client,
                        (first, second)[i % 2],
                        REFUND,
                        {"input": {"orderId": order["id"], "reason": "bench", "idempotencyKey": key}},
                        storm,
                    )
                    for i in range(50)
                )
            )
            elapsed = (time.perf_counter() - started) * 1000
            ids = {r["data"]["refundRequest"].get("id") for r in results}
            balance = (await gql(client, first, WALLET, {}, storm))["data"]["wallet"]["balance"]
        print(
            f"{'50 identical refunds, 2 procs':<28} {elapsed:8.0f} ms total  distinct refunds {len(ids)}  wallet after {balance} (expected 0)"
        )

        from core import db
        from core.db import use_orm
        from core.plugins import get_plugin_manager
        from core.settings import Settings
        from plugins.payments.ledger import check

        settings = Settings(database_url=env["SELFSERVE_DATABASE_URL"], plugins=env["SELFSERVE_PLUGINS"])
        orm = await db.open_orm(settings, get_plugin_manager(settings.plugin_names))
        try:
            with use_orm(orm):
                started = time.perf_counter()
                report = await check()
                took = (time.perf_counter() - started) * 1000
        finally:
            await db.close_orm(orm)
        print(
            f"{'payments check':<28} {took:8.0f} ms for {report.transactions} transactions: {'balanced' if report.ok else report.problems[:3]}"
        )


if __name__ == "__main__":
    asyncio.run(main())
