"""The ads plugin's manifest."""

from __future__ import annotations

from core.contributions import SchemaContribution
from core.hookspecs import hookimpl
from plugins.ads import events
from plugins.ads.errors import MESSAGES

PLUGIN_NAME = "ads"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account",)
#: Plugins it cooperates with when they are enabled.
OPTIONAL: tuple[str, ...] = ()


@hookimpl
def register_models():
    return {"ads": ["plugins.ads.models"]}


@hookimpl
def register_schema():
    from plugins.ads.schema import AdsMutation, AdsQuery
    from plugins.ads.types import ads_error_handler

    return SchemaContribution(query=AdsQuery, mutation=AdsMutation, exception_handlers=[ads_error_handler])


@hookimpl
def register_error_codes():
    return MESSAGES


@hookimpl
def register_permissions():
    return events.PERMISSIONS


@hookimpl
def register_events():
    return events.EVENTS


@hookimpl
def register_routes():
    from plugins.ads.files import routes

    return routes()
