"""The portal adds pages, not API: the SDL is identical with and without it, and without it the
pages are gone while /graphql answers as before."""

from __future__ import annotations

from core.plugins import DEFAULT_PLUGINS, get_plugin_manager
from core.settings import Settings
from schema.build import build_schema


def _sdl(plugins: tuple[str, ...]) -> str:
    settings = Settings(env="test", plugins=",".join(plugins))
    return build_schema(get_plugin_manager(settings.plugin_names), settings).as_str()


def test_the_sdl_is_identical_without_the_portal():
    assert "portal" in DEFAULT_PLUGINS
    without = tuple(p for p in DEFAULT_PLUGINS if p != "portal")
    assert _sdl(DEFAULT_PLUGINS) == _sdl(without)


async def test_without_the_portal_its_pages_are_absent(make_client):
    without = ",".join(p for p in DEFAULT_PLUGINS if p != "portal")
    async with make_client(plugins=without) as client:
        assert (await client.http.get("/help/payments/payments-refund")).status_code == 404
        assert (await client.http.get("/")).status_code == 404
        body = await client.gql("{ helpCategories { key } }")
        assert body["data"]["helpCategories"]
