"""Health endpoints: liveness asks nothing, readiness waits for the warm-up, the aggregate report
names a read-only or full VAR_DIR."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from selfserve.health import var_dir_state


async def test_live_asks_no_dependency(client, monkeypatch):
    async def broken():
        raise ConnectionError("down")

    monkeypatch.setattr(client.services.redis, "ping", broken)
    response = await client.http.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_waits_for_every_warmup_task(client):
    # given a plugin whose warm-up (like the assistant's model) is still running
    warmups = client.services.warmups
    warmup: asyncio.Future = asyncio.get_running_loop().create_future()
    warmups["testplugin"] = warmup
    try:
        response = await client.http.get("/health/ready")
        assert response.status_code == 503
        assert response.json() == {
            "status": "not ready",
            "database": "ok",
            "redis": "ok",
            "warmup": "warming",
        }
        # the aggregate health stays backward compatible: warm-up is not its business
        assert (await client.http.get("/health")).status_code == 200

        # when it finishes the process is ready
        warmup.set_result(None)
        response = await client.http.get("/health/ready")
        assert response.status_code == 200
        assert response.json()["status"] == "ready"
    finally:
        del warmups["testplugin"]


async def test_ready_reports_a_failed_warmup(client):
    warmups = client.services.warmups
    failed: asyncio.Future = asyncio.get_running_loop().create_future()
    failed.set_exception(RuntimeError("model did not train"))
    warmups["testplugin"] = failed
    try:
        response = await client.http.get("/health/ready")
        assert response.status_code == 503
        assert response.json()["warmup"] == "failed"
    finally:
        del warmups["testplugin"]


async def test_ready_waits_for_the_assistant_and_helpcenter_warmup(make_client, monkeypatch):
    # The first assistantAsk waits for the engine that the assistant's warm-up builds (the help center
    # its search library): readiness waits for both. Their slow builds are held here by a gate.
    gate = asyncio.Event()

    async def held(services):
        await gate.wait()

    monkeypatch.setattr("plugins.assistant.lifecycle.get_engine", held)
    monkeypatch.setattr("plugins.helpcenter.lifecycle.get_library", held)
    async with make_client(env="development") as live:
        assert sorted(live.services.warmups) == ["assistant", "helpcenter"]
        assert (await live.http.get("/health/ready")).json()["warmup"] == "warming"
        assert (await live.http.get("/health/live")).status_code == 200
        gate.set()
        await asyncio.gather(*live.services.warmups.values())
        response = await live.http.get("/health/ready")
        assert response.status_code == 200, response.text


@contextlib.contextmanager
def _read_only(path: Path):
    """Make `path` really read-only: a permission bit for normal users, the immutable attribute for
    root (who ignores permission bits); skip when neither works here."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        path.chmod(0o500)
        undo = ["chmod", "700", str(path)]
    else:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("cannot make a directory read-only here (chattr +i failed)")
        undo = ["chattr", "-i", str(path)]
    try:
        yield
    finally:
        subprocess.run(undo, check=False)


@pytest.mark.services
async def test_a_read_only_var_dir_is_reported_degraded(make_client, backend, tmp_path):
    if not backend.is_real:
        pytest.skip("real faults run in the services half")
    async with make_client() as live:
        var_dir = live.services.settings.var_dir
        with _read_only(var_dir):
            response = await live.http.get("/health")
        assert response.status_code == 200  # the API still answers; notifications need the disk
        body = response.json()
        assert body["status"] == "degraded" and body["var_dir"] == "read-only", body
        assert body["failing"] == ["var_dir"]
        assert (await live.http.get("/health/ready")).status_code == 200
        assert (await live.http.get("/health")).json()["var_dir"] == "ok"  # writable again


@pytest.mark.services
async def test_a_full_var_dir_is_reported_degraded(backend, tmp_path):
    if not backend.is_real:
        pytest.skip("real faults run in the services half")
    # a real, tiny file system filled to the last byte
    mount = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True
    ).returncode:
        pytest.skip("cannot mount a small file system here")
    try:
        with contextlib.suppress(OSError), (mount / "filler").open("wb") as filler:
            while True:
                filler.write(b"x" * 4096)
                filler.flush()
        assert var_dir_state(mount, min_free_bytes=0) == "full"
        assert var_dir_state(tmp_path, min_free_bytes=0) == "ok"
    finally:
        subprocess.run(["umount", str(mount)], check=False)
