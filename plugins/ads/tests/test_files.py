"""Advertiser documents download through signed URLs: the applicant and ads staff, nobody else."""

from __future__ import annotations

from plugins.ads.tests.test_ads import PNG, _apply_vars
from tests.files import assert_safe, download, file_views, ref_of, url_as

KIND = "ad-document"
APPLY = """
mutation($input: AdApplicationCreateInput!) {
  adApplicationCreate(input: $input) {
    __typename ... on AdApplication { id licence { downloadUrl } documents { downloadUrl } }
  }
}
"""


async def test_the_applicant_and_ads_staff_open_documents_and_nobody_else(client):
    applicant = await client.signup()
    body = await client.upload(
        APPLY, _apply_vars(), {"input.licence": ("licence.png", PNG, "image/png")}, token=applicant.token
    )
    application = body["data"]["adApplicationCreate"]
    assert application["__typename"] == "AdApplication", body
    url = application["licence"]["downloadUrl"]
    ref = ref_of(url)
    assert_safe(await download(client, url), "image/png")
    for roles in (("SALES",), ("REVIEWER",), ("ADMIN",)):
        staff = await client.signup(roles=roles)
        assert_safe(await download(client, url_as(client, staff, KIND, ref)), "image/png")
    assert len(await file_views(client, KIND)) == 3
    for roles in ((), ("AGENT",)):
        other = await client.signup(roles=roles)
        assert (await download(client, url_as(client, other, KIND, ref))).status_code == 403
    assert (
        await download(client, url_as(client, applicant, KIND, ref.split(":")[0] + ":7"))
    ).status_code == 403
