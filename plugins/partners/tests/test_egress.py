"""Safe egress: in production settings webhook URLs must be https on public addresses; private,
loopback, link-local and metadata targets are refused at creation and again at connect time."""

from __future__ import annotations

import pytest

from core.errors import DomainError
from plugins.partners import egress
from plugins.partners.settings import WebhookSettings
from plugins.partners.tests.receiver import receiver
from plugins.partners.tests.support import SUBSCRIBE, delivery_rows, file_ticket
from tests.partner_apps import make_app

PUBLIC = "93.184.216.34"
REFUSED_URLS = [
    "https://127.0.0.1/hook",
    "https://10.0.0.8/hook",
    "https://172.16.3.4/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
    "https://[::1]/hook",
    "https://[fe80::1]/hook",
    "https://[fd00:ec2::254]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://localhost/hook",
    "https://metadata.google.internal/computeMetadata/v1/",
    "http://hooks.example.com/hook",
    "ftp://hooks.example.com/hook",
    "https://user:pw@hooks.example.com/hook",
    "https://private.example.com/hook",
    "https://loopback.example.com/hook",
    "https://nowhere.example.com/hook",
]


def test_production_defaults_refuse_private_targets_and_development_allows_them():
    assert WebhookSettings().private_allowed(production=True) is False
    assert WebhookSettings().private_allowed(production=False) is True
    assert WebhookSettings(allow_private=True).private_allowed(production=True) is True


@pytest.mark.parametrize("url", REFUSED_URLS)
async def test_refused_urls(url):
    answers = {
        "hooks.example.com": [PUBLIC],
        "private.example.com": ["10.1.2.3"],
        "loopback.example.com": [PUBLIC, "127.0.0.1"],
    }

    async def resolve(host, port):
        if host not in answers:
            raise OSError("no such host")
        return answers[host]

    with pytest.raises(DomainError) as refused:
        await egress.check(url, allow_private=False, resolve=resolve)
    assert refused.value.code == "URL_NOT_ALLOWED"


async def test_a_public_https_url_is_accepted_with_its_checked_address():
    async def resolve(host, port):
        return [PUBLIC]

    target = await egress.check("https://hooks.example.com/in?x=1", allow_private=False, resolve=resolve)
    assert (target.host, target.port, target.address) == ("hooks.example.com", 443, PUBLIC)


async def test_creation_through_the_api_refuses_private_and_metadata_urls(client, webhooks, dns):
    webhooks.allow_private = False
    dns["intranet.example.com"] = ["192.168.0.10"]
    admin = await client.signup(roles=("ADMIN",))
    app = await make_app(client, admin, ["tickets:read"])
    for url in (
        "https://169.254.169.254/latest",
        "https://127.0.0.1/x",
        "https://intranet.example.com/x",
        "http://h/x",
    ):
        body = await client.gql(
            SUBSCRIBE,
            {"input": {"appId": app["app"]["id"], "url": url, "events": ["ticket.created"]}},
            token=admin.token,
        )
        result = body["data"]["webhookSubscriptionCreate"]
        assert (result["__typename"], result["code"], result["field"]) == (
            "PartnerError",
            "URL_NOT_ALLOWED",
            "input.url",
        ), url


async def test_a_name_that_resolves_to_loopback_at_connect_time_is_refused(client, webhooks, dns):
    """DNS rebinding: public when the subscription is created, loopback when the webhook is sent."""
    webhooks.allow_private = False
    async with receiver() as hook:
        dns["rebind.example.com"] = [PUBLIC]
        admin = await client.signup(roles=("ADMIN",))
        app = await make_app(client, admin, ["tickets:read"])
        url = f"https://rebind.example.com:{hook.port}/hooks"
        body = await client.gql(
            SUBSCRIBE,
            {"input": {"appId": app["app"]["id"], "url": url, "events": ["ticket.created"]}},
            token=admin.token,
        )
        assert body["data"]["webhookSubscriptionCreate"]["__typename"] == "WebhookSubscriptionCreated"
        dns["rebind.example.com"] = ["127.0.0.1"]
        await file_ticket(client, await client.signup())
        await client.services.jobs.drain()
        (row,) = await delivery_rows(client)
        assert row.attempts >= 1 and row.status == "RETRYING" and row.response_status is None
        assert row.last_error.startswith("refused")
        assert hook.requests == []
