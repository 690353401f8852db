"""`selfserve payments check`: verify the ledger invariants of a deployment's database."""

from __future__ import annotations

import argparse
from typing import Any


async def _check(settings: Any, args: argparse.Namespace) -> int:
    from core import db
    from core.db import use_orm
    from core.plugins import get_plugin_manager
    from plugins.payments import ledger

    orm = await db.open_orm(settings, get_plugin_manager(settings.plugin_names))
    try:
        with use_orm(orm):
            report = await ledger.check()
    finally:
        await db.close_orm(orm)
    print(f"ledger: {report.transactions} transactions, {report.entries} entries, {report.accounts} accounts")
    for problem in report.problems:
        print("PROBLEM", problem)
    print("ledger is balanced" if report.ok else f"{len(report.problems)} problem(s) found")
    return 0 if report.ok else 1


def register(cli: Any) -> None:
    """Add `payments check` to the command line."""
    payments = cli.add_parser("payments", help="payments tools")
    commands = payments.add_subparsers(dest="payments_command", required=True)
    commands.add_parser("check", help="verify the double-entry ledger").set_defaults(func=_check)
