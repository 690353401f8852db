"""A live portal server for browser tests: uvicorn on a free port whose `base_url` is its own
address (so QR codes and canonical links point at it), with users made by `selfserve user create`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.live_servers import Processes, free_port, gql, server_env, wait_healthy

PASSWORD = "portal-Test-2026!"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@dataclass
class Portal:
    """A running portal: its base URL and the directory its outbox is written to."""

    base: str
    var_dir: Path
    env: dict

    def outbox(self) -> list[dict]:
        """Every message the development notifier has written."""
        path = self.var_dir / "outbox.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    async def register(self, email: str, name: str) -> dict:
        """Sign up through the API; returns the AuthSession."""
        answer = await gql(
            self.base,
            "mutation($i: AccountRegisterInput!) { accountRegister(input: $i) {"
            " __typename ... on AuthSession { accessToken user { id } } ... on AccountError { code } } }",
            {"i": {"email": email, "password": PASSWORD, "displayName": name}},
        )
        result = answer["data"]["accountRegister"]
        assert result["__typename"] == "AuthSession", result
        return result

    def make_verified_adult(self, user_pk: int) -> None:
        """Mark a user real-name VERIFIED and adult in the server's SQLite file (test setup, as
        tests.helpers.make_verified_adult does in-process)."""
        with sqlite3.connect(self.var_dir / "selfserve.sqlite3") as db:
            db.execute(
                "INSERT INTO account_real_name (user_id, status, full_name_enc, id_number_enc, id_hash,"
                " masked_id_number, birth_date, photos_enc, submitted_at, review_note)"
                " VALUES (?, 'VERIFIED', '', '', ?, '1101**********0000', '1990-01-01', '{}',"
                " '2026-01-01 00:00:00+00:00', '')",
                (user_pk, f"test-{user_pk}"),
            )

    def create_user(self, email: str, role: str = "user", name: str = "") -> None:
        """`selfserve user create` against the server's database."""
        subprocess.run(
            [sys.executable, "-c", "from selfserve.cli import main; main()", "user", "create", "--email", email,
             "--password", PASSWORD, "--role", role, "--name", name or email.split("@")[0]],
            env=self.env, check=True, capture_output=True, timeout=300,
        )  # fmt: skip


def start_portal(group: Processes, var_dir: Path) -> Portal:
    """Start the server (default plugins, embedded database and redis, development mode)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_env(env="development", var_dir=str(var_dir), database_url="", redis_url="", base_url=base)
    child = group.start(
        [sys.executable, "-m", "uvicorn", "selfserve.asgi:app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--ws", "websockets"],
        env,
    )  # fmt: skip
    wait_healthy(base, child, timeout=120)
    return Portal(base=base, var_dir=var_dir, env=env)


async def screenshot(page, name: str, size: str) -> None:
    """Save a full-page screenshot to artifacts/screenshots/<name>-<size>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
