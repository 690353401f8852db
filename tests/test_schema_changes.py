"""The schema change policy: no breaking change against the last release unless the changelog
announces it under "Breaking" (and the checker itself notices a removed field)."""

from __future__ import annotations

import subprocess
import sys

from schema.changes import CHANGELOG, ROOT, changes_between, latest_release, unannounced

RELEASED = """type Query { me: User  helpSearch(query: String!): [String!]! }
type User { id: ID!  name: String! }"""
WITHOUT_NAME = """type Query { me: User  helpSearch(query: String!): [String!]! }
type User { id: ID! }"""


def test_the_committed_sdl_has_no_unannounced_breaking_change_since_the_last_release():
    current = (ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
    changes = changes_between(latest_release().read_text(encoding="utf-8"), current)
    assert [c.description for c in unannounced(changes, CHANGELOG.read_text(encoding="utf-8"))] == []


def test_a_removed_field_fails_unless_the_changelog_lists_it():
    changes = changes_between(RELEASED, WITHOUT_NAME)
    assert [(c.breaking, c.description) for c in changes] == [(True, "Field User.name was removed.")]
    silent = "# Changelog\n\n## [Unreleased]\n\n### Added\n- `User.name` mentioned, not as breaking\n"
    assert [c.description for c in unannounced(changes, silent)] == ["Field User.name was removed."]
    listed = "# Changelog\n\n## [Unreleased]\n\n### Breaking\n- `User.name` removed: use `User.displayName`\n"
    assert unannounced(changes, listed) == []
    older = listed.replace("## [Unreleased]", "## [Unreleased]\n\n## [0.2.0]")
    assert len(unannounced(changes, older)) == 1  # only the newest section counts


def test_adding_an_optional_field_is_not_breaking():
    assert [c.breaking for c in changes_between(WITHOUT_NAME, RELEASED)] == []


def test_the_cli_reports_breaking_changes_with_exit_status_1(tmp_path):
    base = tmp_path / "base.graphql"
    base.write_text(
        latest_release().read_text(encoding="utf-8")
        + "\ntype Query { zzRemoved: Int }\n".replace("type Query", "extend type Query")
    )
    run = subprocess.run(
        [sys.executable, "-m", "selfserve.cli", "schema", "--breaking", str(base)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"SELFSERVE_ENV": "test", "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 1, run.stderr
    assert "BREAKING  FIELD_REMOVED  Field Query.zzRemoved was removed." in run.stdout
