"""Appeal evidence downloads through signed URLs: the appellant and reviewers, nobody else."""

from __future__ import annotations

from tests.files import assert_safe, download, file_views, ref_of, url_as
from tests.helpers import LOGIN
from tests.moderation import ban

PDF = b"%PDF-1.4\n" + b"0" * 64
KIND = "appeal-evidence"
CREATE = """
mutation A($input: AppealCreateInput!) {
  appealCreate(input: $input) { __typename ... on Appeal { id evidence { filename downloadUrl } } }
}
"""
QUEUE = "{ appealQueue { edges { node { id evidence { downloadUrl } } } } }"


async def _appeal_with_evidence(client):
    user = await client.signup()
    moderator = await client.signup(roles=("REVIEWER",))
    decision = await ban(client, moderator, user.id)
    login = await client.gql(LOGIN, {"input": {"login": user.email, "password": user.password}})
    user.token = login["data"]["accountLogin"]["accessToken"]  # a banned user's restricted session
    variables = {
        "input": {"decisionId": decision["id"], "reason": "Mistaken ban, see proof.", "evidence": [None]}
    }
    body = await client.upload(
        CREATE, variables, {"input.evidence.0": ("proof.pdf", PDF, "application/pdf")}, token=user.token
    )
    appeal = body["data"]["appealCreate"]
    assert appeal["__typename"] == "Appeal", body
    return user, appeal["evidence"][0]["downloadUrl"]


async def test_the_appellant_and_reviewers_open_evidence_and_nobody_else(client):
    user, url = await _appeal_with_evidence(client)
    ref = ref_of(url)
    response = await download(client, url)  # the banned appellant may still open their own file
    assert_safe(response, "application/pdf")
    assert response.content == PDF
    reviewer = await client.signup(roles=("REVIEWER",))
    queue = await client.gql(QUEUE, token=reviewer.token)
    urls = [
        n["node"]["evidence"][0]["downloadUrl"]
        for n in queue["data"]["appealQueue"]["edges"]
        if n["node"]["evidence"]
    ]
    assert urls and ref_of(urls[0]) == ref
    assert_safe(await download(client, urls[0]), "application/pdf")
    admin = await client.signup(roles=("ADMIN",))
    assert_safe(await download(client, url_as(client, admin, KIND, ref)), "application/pdf")
    assert len(await file_views(client, KIND)) == 2
    for roles in ((), ("AGENT",), ("SALES",)):
        other = await client.signup(roles=roles)
        assert (await download(client, url_as(client, other, KIND, ref))).status_code == 403
    assert len(await file_views(client, KIND)) == 2
    assert (await download(client, url_as(client, user, KIND, ref + "9"))).status_code == 403
