"""The `selfserve` command: serve, migrate, makemigrations, worker, schema, user, demo, and the
plugins' own commands (`register_commands`)."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import logging
import sys
from pathlib import Path
from typing import Any

from core import db
from core.db import use_orm
from core.plugins import call_async, get_plugin_manager
from core.settings import Settings


def _progress(event: str, app_label: str, name: str) -> None:
    if event == "apply_start":
        print(f"  applying {app_label}.{name} ...", end="", flush=True)
    elif event == "apply_done":
        print(" ok", flush=True)


async def _with_services(
    settings: Settings, body: Any, *, migrate: bool = False, worker: bool = False
) -> Any:
    from selfserve.services import close_services, open_services

    pm = get_plugin_manager(settings.plugin_names)
    services = await open_services(settings, pm, migrate=migrate, worker=worker)
    try:
        with use_orm(services.orm):
            return await body(services)
    finally:
        await close_services(services)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    """Run the API with uvicorn (migrations are applied on start outside production)."""
    import uvicorn

    print(f"selfserve: serving on http://{args.host}:{args.port}/graphql ({settings.env})", flush=True)
    uvicorn.run(
        "selfserve.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info" if args.verbose else "warning",
        proxy_headers=False,
        server_header=False,  # no `server: uvicorn` banner
    )


async def cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    """Apply pending migrations of every enabled plugin."""
    pm = get_plugin_manager(settings.plugin_names)
    orm = await db.open_orm(settings, pm)
    try:
        print("selfserve: migrating", settings.effective_database_url.split("@")[-1], flush=True)
        await db.migrate(orm, progress=_progress)
        print("selfserve: database is up to date", flush=True)
    finally:
        await db.close_orm(orm)


async def cmd_makemigrations(settings: Settings, args: argparse.Namespace) -> None:
    """Write migration files for model changes (developers)."""
    pm = get_plugin_manager(settings.plugin_names)
    orm = await db.open_orm(settings, pm)
    try:
        await db.migrate(orm)
        paths = await db.make_migrations(orm, args.name)
        for path in paths:
            print("created", path)
        if not paths:
            print("no changes")
    finally:
        await db.close_orm(orm)


def cmd_schema(settings: Settings, args: argparse.Namespace) -> int:
    """Print the SDL of the enabled plugins, or with `--breaking BASE.graphql` the changes since
    BASE (exit status 1 when one is breaking)."""
    from schema.build import build_schema

    sdl = build_schema(get_plugin_manager(settings.plugin_names), settings).as_str() + "\n"
    if not args.breaking:
        sys.stdout.write(sdl)
        return 0
    from schema.changes import changes_between

    changes = changes_between(Path(args.breaking).read_text(encoding="utf-8"), sdl)
    for change in changes:
        print(f"{'BREAKING' if change.breaking else 'dangerous'}  {change.kind}  {change.description}")
    breaking = sum(change.breaking for change in changes)
    print(f"{breaking} breaking, {len(changes) - breaking} dangerous change(s) since {args.breaking}")
    return 1 if breaking else 0


async def cmd_worker(settings: Settings, args: argparse.Namespace) -> None:
    """Consume the redis job queue (and tick periodic jobs) until interrupted."""
    from taskiq.receiver import Receiver

    if not settings.redis_url:
        raise SystemExit("selfserve worker needs SELFSERVE_REDIS_URL (jobs run in-process otherwise)")
    settings = settings.model_copy(update={"jobs_in_process": False})

    async def body(services: Any) -> None:
        print("selfserve: worker consuming", ", ".join(sorted(services.jobs.specs)) or "nothing", flush=True)
        receiver = Receiver(services.jobs.broker, run_startup=False, max_async_tasks=args.concurrency)
        await receiver.listen(asyncio.Event())

    await _with_services(settings, body, worker=True)


async def cmd_user_create(settings: Settings, args: argparse.Namespace) -> None:
    """Create a user with a role (operators)."""
    from plugins.account import validation
    from plugins.account.models import User

    async def body(services: Any) -> None:
        email = validation.normalize_email(args.email)
        validation.check_password(args.password)
        roles = [] if args.role == "user" else [args.role.upper()]
        user, created = await User.get_or_create(
            email=email,
            defaults={
                "display_name": args.name or email.split("@")[0],
                "password_hash": services.passwords.hash(args.password),
                "roles": roles,
                "email_verified": True,
            },
        )
        if not created:
            user.roles = sorted(set(user.roles) | set(roles))
            await user.save(update_fields=["roles"])
        print(("created" if created else "updated"), email, "roles:", ["USER", *user.roles])

    await _with_services(settings, body, migrate=True)


async def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    """Seed demo users and data for every plugin (idempotent). Development-only: refused in
    production unless `SELFSERVE_DEMO_DATA=true` (the demo users share a published password)."""
    from core.devonly import development_surface_enabled, warn_if_live_in_production

    if not development_surface_enabled(settings, settings.demo_data):
        print(
            "selfserve: demo data is development-only and refused in production "
            "(set SELFSERVE_DEMO_DATA=true to seed a demo deployment anyway)",
            file=sys.stderr,
        )
        return 2
    warn_if_live_in_production(
        settings,
        settings.demo_data,
        surface="DEMO DATA (published passwords)",
        variable="SELFSERVE_DEMO_DATA",
    )

    async def body(services: Any) -> None:
        print("selfserve: seeding demo data", flush=True)
        for created in await call_async(services.pm, "seed_demo_data", services=services):
            if created:
                print(
                    "  created",
                    created if isinstance(created, str) else ", ".join(map(str, created)),
                    flush=True,
                )
        print("selfserve: demo data ready (password for demo users: selfserve-demo-2026)", flush=True)

    await _with_services(settings, body, migrate=True)
    return 0


def build_parser(settings: Settings, pm: Any = None) -> argparse.ArgumentParser:
    """The argument parser, including plugins' commands (`register_commands`)."""
    parser = argparse.ArgumentParser(prog="selfserve", description="selfserve self-service support backend")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--verbose", action="store_true")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    make = sub.add_parser("makemigrations", help="write migrations for model changes")
    make.add_argument("--name", default=None)
    make.set_defaults(func=cmd_makemigrations)
    worker = sub.add_parser("worker", help="run background jobs from the redis queue")
    worker.add_argument("--concurrency", type=int, default=20)
    worker.set_defaults(func=cmd_worker)
    schema = sub.add_parser("schema", help="print the GraphQL SDL, or compare it with a release")
    schema.add_argument(
        "--breaking", metavar="BASE.graphql", help="list changes since BASE; exit 1 if breaking"
    )
    schema.set_defaults(func=cmd_schema)
    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user_command", required=True)
    create = user.add_parser("create", help="create a user with a role")
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--name", default="")
    create.add_argument("--role", choices=["user", "agent", "reviewer", "admin"], default="user")
    create.set_defaults(func=cmd_user_create)
    sub.add_parser("demo", help="seed demo data (idempotent)").set_defaults(func=cmd_demo)
    (pm or get_plugin_manager(settings.plugin_names)).hook.register_commands(cli=sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `selfserve` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    args = build_parser(settings).parse_args(argv)
    result = args.func(settings, args)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
