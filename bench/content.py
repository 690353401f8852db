"""Content and appeals benchmark against a local server on 127.0.0.1: video upload (multipart, type
sniffing + mvhd parse), `myVideos(first: 100)`, `videoView`, the reviewers' `appealQueue(first: 100)`
and `appealDecide` OVERTURN (restore in one transaction). Prints figures, asserts nothing.

Environment: BENCH_REQUESTS (default 500), BENCH_CONCURRENCY (default 16), BENCH_VIDEOS (default 100);
SELFSERVE_BENCH_DATABASE_URL / SELFSERVE_BENCH_REDIS_URL as bench/foundation.py for PostgreSQL + Redis.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile

import httpx

from bench.common import ROOT, free_port, load, server
from bench.foundation import environment
from plugins.content.media import sample_mp4

PASSWORD = "bench password 1"
UPLOAD = (
    "mutation($input: VideoUploadInput!) { videoUpload(input: $input) { __typename ... on Video { id } } }"
)
REMOVE = (
    "mutation($id: ID!) { moderationRemoveVideo(input: {videoId: $id, reason: SPAM, "
    'statement: "Benchmark removal statement."}) { ... on Decision { id } } }'
)
APPEAL = (
    'mutation($id: ID!) { appealCreate(input: {decisionId: $id, reason: "Benchmark appeal reason."}) '
    "{ ... on Appeal { id } } }"
)
DECIDE = (
    'mutation($id: ID!) { appealDecide(input: {appealId: $id, outcome: OVERTURN, note: "ok"}) '
    "{ __typename ... on Appeal { status } } }"
)
MY_VIDEOS = json.dumps(
    {"query": "{ myVideos(first: 100) { nodes { id title status durationSeconds counts { views } } } }"}
)
QUEUE = json.dumps(
    {
        "query": "{ appealQueue(first: 100) { nodes { id status dueAt decision { kind statement } "
        "user { displayName } auditTrail { kind actor { displayName } } } } }"
    }
)


def gql(base: str, query: str, variables: dict, token: str) -> dict:
    response = httpx.post(
        base + "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.json()


def login(base: str, email: str) -> str:
    query = "mutation($l: String!, $p: String!) { accountLogin(input: {login: $l, password: $p}) { ... on AuthSession { accessToken } } }"
    body = httpx.post(
        base + "/graphql", json={"query": query, "variables": {"l": email, "p": PASSWORD}}
    ).json()
    return body["data"]["accountLogin"]["accessToken"]


def register(base: str, email: str) -> str:
    query = (
        "mutation($e: String!, $p: String!) { accountRegister(input: {email: $e, password: $p, "
        'displayName: "Bench"}) { ... on AuthSession { accessToken } } }'
    )
    httpx.post(base + "/graphql", json={"query": query, "variables": {"e": email, "p": PASSWORD}})
    return login(base, email)


async def main() -> None:
    requests = int(os.environ.get("BENCH_REQUESTS", "500"))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "16"))
    videos = int(os.environ.get("BENCH_VIDEOS", "100"))
    with tempfile.TemporaryDirectory() as var_dir:
        env = {**environment(var_dir), "SELFSERVE_PLUGINS": "account,content,appeals"}
        run_env = {**os.environ, **env}
        subprocess.run(
            [sys.executable, "-m", "selfserve.cli", "migrate"],
            cwd=ROOT,
            env=run_env,
            check=True,
            capture_output=True,
        )
        for email in ("moderator@example.com", "reviewer@example.com"):
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "selfserve.cli",
                    "user",
                    "create",
                    "--email",
                    email,
                    "--password",
                    PASSWORD,
                    "--role",
                    "reviewer",
                ],
                cwd=ROOT,
                env=run_env,
                check=True,
                capture_output=True,
            )
        with server("selfserve.asgi:app", free_port(), env) as base:
            creator = register(base, "creator@example.com")
            moderator, reviewer = login(base, "moderator@example.com"), login(base, "reviewer@example.com")
            file = sample_mp4(10.0, media=os.urandom(64 * 1024))
            ids: list[str] = []

            async def upload(client: httpx.AsyncClient) -> bool:
                operations = {
                    "query": UPLOAD,
                    "variables": {"input": {"title": "bench", "visibility": "PUBLIC", "file": None}},
                }
                response = await client.post(
                    base + "/graphql",
                    data={
                        "operations": json.dumps(operations),
                        "map": json.dumps({"0": ["variables.input.file"]}),
                    },
                    files={"0": ("clip.mp4", file, "video/mp4")},
                    headers={"Authorization": f"Bearer {creator}"},
                )
                body = response.json()
                video = (body.get("data") or {}).get("videoUpload") or {}
                if video.get("id"):
                    ids.append(video["id"])
                return video.get("__typename") == "Video"

            print(
                (
                    await load(
                        f"videoUpload ({len(file) // 1024} KiB mp4)",
                        upload,
                        concurrency=4,
                        total=videos,
                        warmup=0,
                    )
                ).line()
            )
            headers = {"Authorization": f"Bearer {creator}", "Content-Type": "application/json"}

            async def my_videos(client: httpx.AsyncClient) -> bool:
                response = await client.post(base + "/graphql", content=MY_VIDEOS, headers=headers)
                return response.status_code == 200 and "errors" not in response.json()

            print(
                (
                    await load(
                        f"myVideos(first: 100), {len(ids)} videos",
                        my_videos,
                        concurrency=concurrency,
                        total=requests,
                    )
                ).line()
            )
            counter = iter(range(10**9))

            async def view(client: httpx.AsyncClient) -> bool:
                # one client IP: after its first view of a video, the dedupe key answers (still a full request)
                target = ids[next(counter) % len(ids)]
                response = await client.post(
                    base + "/graphql",
                    json={"query": "mutation($id: ID!) { videoView(id: $id) }", "variables": {"id": target}},
                )
                return response.status_code == 200 and "errors" not in response.json()

            print((await load("videoView (anonymous)", view, concurrency=concurrency, total=requests)).line())
            appeal_ids = []
            for video_id in ids:
                decision = gql(base, REMOVE, {"id": video_id}, moderator)["data"]["moderationRemoveVideo"][
                    "id"
                ]
                appeal_ids.append(gql(base, APPEAL, {"id": decision}, creator)["data"]["appealCreate"]["id"])
            review_headers = {"Authorization": f"Bearer {reviewer}", "Content-Type": "application/json"}

            async def queue(client: httpx.AsyncClient) -> bool:
                response = await client.post(base + "/graphql", content=QUEUE, headers=review_headers)
                return response.status_code == 200 and "errors" not in response.json()

            print(
                (
                    await load(
                        f"appealQueue(first: 100), {len(appeal_ids)} open",
                        queue,
                        concurrency=concurrency,
                        total=requests,
                    )
                ).line()
            )
            pending = iter(appeal_ids)

            async def decide(client: httpx.AsyncClient) -> bool:
                appeal_id = next(pending, None)
                if appeal_id is None:
                    return True
                response = await client.post(
                    base + "/graphql",
                    json={"query": DECIDE, "variables": {"id": appeal_id}},
                    headers={"Authorization": f"Bearer {reviewer}"},
                )
                return "OVERTURNED" in response.text

            print(
                (
                    await load(
                        "appealDecide OVERTURN (restore)",
                        decide,
                        concurrency=4,
                        total=len(appeal_ids),
                        warmup=0,
                    )
                ).line()
            )


if __name__ == "__main__":
    asyncio.run(main())
