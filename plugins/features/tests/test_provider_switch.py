"""`SELFSERVE_FLAG_PROVIDER` swaps the OpenFeature provider by configuration alone: here to
OpenFeature's own InMemoryProvider, fed from a flagd-format file."""

from __future__ import annotations

import json

from openfeature.provider.in_memory_provider import InMemoryProvider

from core.flags import make_provider
from core.settings import Settings

IN_MEMORY = "openfeature.provider.in_memory_provider:InMemoryProvider"
FEATURES = "{ features { key enabled } }"
REPORT = "{ analyticsReport { __typename ... on FeatureUnavailable { feature } } }"
UPDATE = """mutation { featureFlagUpdate(input: {key: "premium", enabled: false}) { __typename
  ... on FeatureError { code } } }"""


def _flag_file(tmp_path, **states: bool):
    path = tmp_path / "flags.json"
    flags = {
        key: {
            "state": "ENABLED",
            "variants": {"on": True, "off": False},
            "defaultVariant": "on" if on else "off",
        }
        for key, on in states.items()
    }
    path.write_text(json.dumps({"flags": flags}), encoding="utf-8")
    return str(path)


def test_the_setting_names_any_provider_class(tmp_path):
    settings = Settings(flag_provider=IN_MEMORY, flag_provider_file=_flag_file(tmp_path, beta=True))
    provider = make_provider(settings, [])
    assert isinstance(provider, InMemoryProvider)
    assert provider.resolve_boolean_details("beta", False).value is True


async def test_switching_to_the_in_memory_provider_needs_no_code_change(make_client, tmp_path):
    path = _flag_file(tmp_path, **{"premium.analytics_report": False, "support": True})
    async with make_client(flag_provider=IN_MEMORY, flag_provider_file=path) as client:
        assert not client.services.flags.builtin
        states = {f["key"]: f["enabled"] for f in (await client.gql(FEATURES))["data"]["features"]}
        assert states["premium.analytics_report"] is False and states["support"] is True
        # a flag the file does not name keeps its declared default
        assert states["premium.courses"] is True
        user = await client.signup()
        report = await client.gql(REPORT, token=user.token)
        assert report["data"]["analyticsReport"] == {
            "__typename": "FeatureUnavailable",
            "feature": "premium.analytics_report",
        }
        # the provider owns the flags: the admin API says so instead of storing a dead setting
        admin = await client.signup(roles=("ADMIN",))
        body = await client.gql(UPDATE, token=admin.token)
        assert body["data"]["featureFlagUpdate"] == {
            "__typename": "FeatureError",
            "code": "EXTERNAL_PROVIDER",
        }
