"""The `selfserve` command: serve, migrate, makemigrations, worker, schema, user, demo, and the
plugins' own commands (`register_commands`)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import inspect
import logging
import signal
import sys
from pathlib import Path
from typing import Any

from core import db
from core.context import Services
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
        # Our logging (selfserve.logs) stays in charge, and the app logs each request itself.
        log_config=None,
        access_log=False,
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
    """Consume the redis job queue (and tick periodic jobs, sweep the outbox) until SIGTERM/SIGINT;
    then stop taking jobs and let the running ones finish (up to `jobs_shutdown_grace_seconds`).
    Survives Redis and database outages: it reconnects with back-off and logs once per outage.
    `--metrics-port` (or `SELFSERVE_METRICS_PORT`) serves the worker's own metrics (job runs,
    webhook deliveries) on an internal listener: each worker process has its own counters."""
    from selfserve.services import close_services

    if not settings.redis_url:
        raise SystemExit("selfserve worker needs SELFSERVE_REDIS_URL (jobs run in-process otherwise)")
    settings = settings.model_copy(update={"jobs_in_process": False})
    # Job failures are logged by the retry middleware (once per outage when transient); these
    # libraries would log a traceback per failed job or reconnect attempt.
    logging.getLogger("taskiq.receiver.receiver").setLevel(logging.CRITICAL)
    logging.getLogger("asyncpg.pool").setLevel(logging.ERROR)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    services = await _open_worker_services(settings, stop)
    if services is None:
        return
    metrics_port = args.metrics_port if args.metrics_port is not None else settings.metrics_port
    try:
        async with contextlib.AsyncExitStack() as stack:
            if metrics_port:
                # The worker has no HTTP API: its job and webhook metrics are served here.
                from selfserve.metrics import internal_listener

                host = args.metrics_host or settings.metrics_host
                await stack.enter_async_context(internal_listener(services, metrics_port, host))
                print(f"selfserve: worker metrics on http://{host}:{metrics_port}/metrics", flush=True)
            await _consume(services, settings, args, stop)
    finally:
        await close_services(services)


async def _consume(services: Any, settings: Settings, args: argparse.Namespace, stop: asyncio.Event) -> None:
    from core.job_queue import WorkerReceiver

    with use_orm(services.orm):
        print("selfserve: worker consuming", ", ".join(sorted(services.jobs.specs)), flush=True)
        receiver = WorkerReceiver(
            services.jobs.broker,
            run_startup=False,
            max_async_tasks=args.concurrency or settings.jobs_worker_concurrency,
            wait_tasks_timeout=settings.jobs_shutdown_grace_seconds,
        )
        await receiver.listen(stop)
        print("selfserve: worker stopped", flush=True)


async def _open_worker_services(settings: Settings, stop: asyncio.Event) -> Any:
    """Open the worker's services, retrying with back-off while the database or Redis is down."""
    from core.outage import Outage
    from selfserve.services import open_services

    outage = Outage(logging.getLogger("selfserve.worker"), "worker start-up (database or redis)")
    pause = 0.5
    while not stop.is_set():
        try:
            services = await open_services(
                settings, get_plugin_manager(settings.plugin_names), migrate=False, worker=True
            )
            outage.recovered()
            return services
        except Exception as error:  # noqa: BLE001 - retried until the dependency is back
            outage.failed(error)
        try:
            await asyncio.wait_for(stop.wait(), pause)
        except TimeoutError:
            pause = min(pause * 2, 10.0)
    return None


async def cmd_jobs_failed(settings: Settings, args: argparse.Namespace) -> int:
    """List the dead-letter list (jobs that failed every retry), newest first."""
    from core.models import DeadLetter

    async def body(services: Services) -> int:
        query = DeadLetter.all() if args.all else DeadLetter.filter(resolved_at=None)
        letters = await query.order_by("-id").limit(args.limit)
        if not letters:
            print("no failed jobs")
        for letter in letters:
            state = "resolved" if letter.resolved_at else ("auto-replay" if letter.transient else "waiting")
            print(
                f"{letter.id}\t{letter.name}\t{letter.failed_at:%Y-%m-%d %H:%M:%S}\t"
                f"attempts={letter.attempts}\treplays={letter.replays}\t{state}\t{letter.error.splitlines()[0]}"
            )
            if args.verbose:
                print(f"\tkey={letter.key} payload={letter.payload}")
        return 0

    return await _with_services(settings, body)


async def cmd_jobs_retry(settings: Settings, args: argparse.Namespace) -> int:
    """Queue dead letters again (by id, or `--all` unresolved ones) with a full retry budget."""
    from core.models import DeadLetter
    from core.outbox import replay

    async def body(services: Services) -> int:
        query = DeadLetter.filter(resolved_at=None)
        letters = await (query if args.all else query.filter(id__in=args.ids)).order_by("id")
        missing = set(args.ids) - {letter.id for letter in letters}
        for letter in letters:
            if await replay(letter, settings):
                print(f"queued {letter.id} ({letter.name})")
        for letter_id in sorted(missing):
            print(f"no unresolved dead letter {letter_id}", file=sys.stderr)
        await services.jobs.drain()
        return 1 if missing else 0

    return await _with_services(settings, body)


async def cmd_user_create(settings: Settings, args: argparse.Namespace) -> None:
    """Create a user with a role (operators)."""
    from plugins.account import validation
    from plugins.account.models import User

    async def body(services: Services) -> None:
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


async def cmd_user_roles(settings: Settings, args: argparse.Namespace) -> int:
    """`user roles list` prints staff and their roles; `user roles set` gives one user exactly the
    roles named (audited as a SYSTEM action, with the reason; the last admin keeps ADMIN)."""
    from core.errors import DomainError
    from plugins.account import user_admin, validation
    from plugins.account.models import User

    status = 0

    async def body(services: Services) -> None:
        nonlocal status
        if args.roles_command == "list":
            for user in await User.exclude(roles=[]).order_by("id"):
                print(user.pk, user.email or user.phone or "-", ",".join(["USER", *user.roles]))
            return
        user = await User.get_or_none(email=validation.normalize_email(args.email))
        roles = [r.strip().upper() for r in args.roles.split(",") if r.strip()]
        try:
            if user is None:
                raise DomainError("NOT_FOUND", field="email")
            user = await user_admin.set_roles(
                services, None, user_pk=user.pk, roles=roles, reason=args.reason, ip="cli"
            )
        except DomainError as refused:
            print("refused:", refused.code, refused.field or "", file=sys.stderr)
            status = 1
            return
        print("updated", user.email, "roles:", ["USER", *user.roles])

    await _with_services(settings, body, migrate=True)
    return status


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

    async def body(services: Services) -> None:
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
    worker.add_argument("--concurrency", type=int, default=0, help="jobs at a time (default: setting)")
    worker.add_argument(
        "--metrics-port", type=int, default=None, help="serve this worker's /metrics here (internal)"
    )
    worker.add_argument(
        "--metrics-host", default="", help="the metrics listener's address (default: setting)"
    )
    worker.set_defaults(func=cmd_worker)
    jobs = sub.add_parser("jobs", help="inspect and replay failed jobs").add_subparsers(
        dest="jobs_command", required=True
    )
    failed = jobs.add_parser("failed", help="list the dead-letter list")
    failed.add_argument("--all", action="store_true", help="include resolved letters")
    failed.add_argument("--limit", type=int, default=100)
    failed.add_argument("--verbose", "-v", action="store_true", help="show key and payload")
    failed.set_defaults(func=cmd_jobs_failed)
    retry = jobs.add_parser("retry", help="queue failed jobs again")
    retry.add_argument("ids", type=int, nargs="*", help="dead letter ids (see `jobs failed`)")
    retry.add_argument("--all", action="store_true", help="every unresolved letter")
    retry.set_defaults(func=cmd_jobs_retry)
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
    create.add_argument("--role", choices=["user", "agent", "reviewer", "admin", "sales"], default="user")
    create.set_defaults(func=cmd_user_create)
    roles = user.add_parser("roles", help="list or set staff roles").add_subparsers(
        dest="roles_command", required=True
    )
    roles.add_parser("list", help="users holding staff roles").set_defaults(func=cmd_user_roles)
    set_roles = roles.add_parser("set", help="give a user exactly these roles (audited)")
    set_roles.add_argument("--email", required=True)
    set_roles.add_argument(
        "--roles", required=True, help="comma-separated: agent,reviewer,admin,sales (or '')"
    )
    set_roles.add_argument("--reason", required=True)
    set_roles.set_defaults(func=cmd_user_roles)
    sub.add_parser("demo", help="seed demo data (idempotent)").set_defaults(func=cmd_demo)
    (pm or get_plugin_manager(settings.plugin_names)).hook.register_commands(cli=sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `selfserve` console script."""
    from selfserve.logs import configure_logging

    settings = Settings()
    configure_logging(settings)
    args = build_parser(settings).parse_args(argv)
    result = args.func(settings, args)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
