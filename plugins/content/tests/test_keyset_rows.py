"""`core.rows.keyset_rows` (the owner's video list) reads exactly what tortoise's `values()` reads
for the same filters, on this backend: every column type of a video, nulls, both orders, a key
to start after, and the deleted / not deleted split."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.rows import keyset_rows
from plugins.content.models import Video
from plugins.content.service import VIDEO_COLUMNS
from tests.helpers import account_user_pk, db


async def _seed(client) -> int:
    owner = await client.signup()
    other = await client.signup()
    owner_pk, other_pk = int(account_user_pk(owner)), int(account_user_pk(other))
    now = datetime.now(UTC).replace(microsecond=0)
    for i in range(7):
        await db(
            client,
            lambda i=i: Video.create(
                owner_id=owner_pk if i != 3 else other_pk,
                title=f"video {i} ü 視頻",
                description="" if i % 2 else "a description",
                visibility=("PUBLIC", "PRIVATE", "FRIENDS")[i % 3],
                status=("PUBLISHED", "DELETED", "PROCESSING", "REMOVED")[i % 4],
                tags=["cats", f"t{i}"] if i % 2 else [],
                size_bytes=1000 + i,
                duration_seconds=None if i == 2 else 10.5 + i,
                width=None if i % 2 else 1080,
                height=None if i % 2 else 1920,
                cover_key=None if i % 3 else f"covers/{i}.png",
                comments_enabled=bool(i % 2),
                views=i * 10,
                likes=i,
                comments=i * 2,
                shares=0,
                published_at=None if i == 2 else now - timedelta(days=i),
                deleted_at=now - timedelta(hours=i) if i % 4 == 1 else None,
                file_key=f"videos/{i}.mp4",
                content_type="video/mp4",
            ),
        )
    return owner_pk


@pytest.mark.parametrize("descending", [True, False])
async def test_the_same_rows_as_tortoise_values(client, descending):
    owner = await _seed(client)

    async def both(equal, unequal, beyond, limit):
        async def through_tortoise():
            query = Video.filter(**equal)
            for name, value in (unequal or {}).items():
                query = query.exclude(**{name: value})
            if beyond is not None:
                query = query.filter(id__lt=beyond) if descending else query.filter(id__gt=beyond)
            return (
                await query.order_by("-id" if descending else "id").limit(limit).values("id", *VIDEO_COLUMNS)
            )

        expected = await db(client, through_tortoise)
        got = await db(
            client,
            lambda: keyset_rows(
                Video,
                VIDEO_COLUMNS,
                equal=equal,
                unequal=unequal,
                beyond=beyond,
                descending=descending,
                limit=limit,
            ),
        )
        return expected, [dict(row.__dict__) for row in got]

    all_ids = sorted(await db(client, lambda: Video.filter(owner_id=owner).values_list("id", flat=True)))
    middle = all_ids[len(all_ids) // 2]
    for equal, unequal in (
        ({"owner_id": owner}, None),
        ({"owner_id": owner}, {"status": "DELETED"}),
        ({"owner_id": owner, "status": "DELETED"}, None),
    ):
        for beyond in (None, middle):
            for limit in (1, 3, 50):
                expected, got = await both(equal, unequal, beyond, limit)
                assert expected, (equal, unequal, beyond)
                assert [{k: v for k, v in row.items() if k != "pk"} for row in got] == expected
