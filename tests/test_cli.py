"""The `selfserve` command: schema, migrate, demo (idempotent), user create."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.db import use_orm
from selfserve import cli
from tests.helpers import settings_for


def test_schema_command_prints_the_committed_sdl(capsys):
    cli.main(["schema"])
    printed = capsys.readouterr().out
    assert printed == (Path(__file__).parent.parent / "schema" / "schema.graphql").read_text(encoding="utf-8")


async def test_migrate_demo_and_user_create(backend, tmp_path, client, capsys):
    settings = settings_for(backend, tmp_path)
    await cli.cmd_migrate(settings, argparse.Namespace())
    assert "database is up to date" in capsys.readouterr().out
    await cli.cmd_demo(settings, argparse.Namespace())
    first = capsys.readouterr().out
    assert "user@example.com" in first
    await cli.cmd_demo(settings, argparse.Namespace())
    assert "user@example.com" not in capsys.readouterr().out  # idempotent: nothing new the second time
    args = argparse.Namespace(
        email="ops@example.com", password="operator password 1", name="Ops", role="agent"
    )
    await cli.cmd_user_create(settings, args)
    assert "created ops@example.com roles: ['USER', 'AGENT']" in capsys.readouterr().out
    from plugins.account.models import User

    with use_orm(client.services.orm):
        assert (await User.get(email="ops@example.com")).roles == ["AGENT"]


async def test_user_roles_list_and_set_audited_and_the_last_admin_keeps_admin(
    backend, tmp_path, client, capsys
):
    from core.models import AuditEntry
    from plugins.account.models import User

    settings = settings_for(backend, tmp_path)
    admin = await client.signup(email="root@example.com", roles=("ADMIN",))
    seller = await client.signup(email="seller@example.com")
    parser = cli.build_parser(settings)
    args = parser.parse_args(
        ["user", "roles", "set", "--email", seller.email, "--roles", "sales", "--reason", "ads team"]
    )
    assert await args.func(settings, args) == 0
    assert "updated seller@example.com roles: ['USER', 'SALES']" in capsys.readouterr().out
    args = parser.parse_args(["user", "roles", "list"])
    await args.func(settings, args)
    listed = capsys.readouterr().out
    assert "root@example.com USER,ADMIN" in listed and "seller@example.com USER,SALES" in listed
    args = parser.parse_args(
        ["user", "roles", "set", "--email", admin.email, "--roles", "", "--reason", "leaving now"]
    )
    assert await args.func(settings, args) == 1
    assert "LAST_ADMIN" in capsys.readouterr().err
    with use_orm(client.services.orm):
        assert (await User.get(email=admin.email)).roles == ["ADMIN"]
        entry = await AuditEntry.get(action="account.roles_set")
    assert (entry.actor_kind, entry.reason) == ("SYSTEM", "ads team")


async def test_demo_data_is_refused_in_production_unless_turned_on(backend, tmp_path, client, capsys, caplog):
    # given a production deployment (demo users share a published password, one is ADMIN)
    from plugins.account.models import User

    production = settings_for(backend, tmp_path, env="production")
    # when an operator runs `selfserve demo`
    assert await cli.cmd_demo(production, argparse.Namespace()) == 2
    # then nothing is seeded and the refusal names the switch
    assert "SELFSERVE_DEMO_DATA=true" in capsys.readouterr().err
    with use_orm(client.services.orm):
        assert not await User.filter(email="admin@example.com").exists()
    # and with SELFSERVE_DEMO_DATA=true it seeds, with a warning
    allowed = settings_for(backend, tmp_path, env="production", demo_data=True, plugins="account")
    assert await cli.cmd_demo(allowed, argparse.Namespace()) == 0
    assert any("SELFSERVE_DEMO_DATA" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)
    with use_orm(client.services.orm):
        assert await User.filter(email="admin@example.com").exists()
