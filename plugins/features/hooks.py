"""The features plugin's manifest."""

from __future__ import annotations

from core.contributions import SchemaContribution
from core.hookspecs import hookimpl
from core.jobs import JobSpec
from plugins.features import grants, service
from plugins.features.errors import MESSAGES
from plugins.features.schema import FeaturesMutation, FeaturesQuery
from plugins.features.types import feature_error_handler

PLUGIN_NAME = "features"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account", "premium")
#: Plugins it cooperates with when they are enabled (premium, required, holds the grants).
OPTIONAL: tuple[str, ...] = ()


@hookimpl
def register_models():
    return {"features": ["plugins.features.models"]}


@hookimpl
def register_schema():
    # No kill switch on its admin fields: an admin can always turn the other plugins back on.
    # The `features` flag switches the public `features` list only.
    return SchemaContribution(
        query=FeaturesQuery,
        mutation=FeaturesMutation,
        exception_handlers=[feature_error_handler],
        kill_switch=False,
    )


@hookimpl
def register_error_codes():
    return MESSAGES


@hookimpl
def register_jobs():
    return [JobSpec(grants.GRANT_JOB, grants.grant_batch, retries=5)]


@hookimpl
def flag_rules(services):
    return service.stored_rules()
