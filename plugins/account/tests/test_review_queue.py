"""The reviewers' real-name queue."""

from __future__ import annotations

from core.db import QueryCounter
from tests.real_name import resident_id

SUBMIT = """mutation($input: AccountRealNameSubmitInput!) { accountRealNameSubmit(input: $input) { __typename } }"""
QUEUE = """query($first: Int) { realNameQueue(first: $first) {
  edges { node { user { id displayName } verification { status maskedIdNumber } photos birthDate } }
  pageInfo { hasNextPage } } }"""


async def submit(client, account, sequence: str) -> None:
    number = resident_id(sequence=sequence)
    body = await client.gql(SUBMIT, {"input": {"fullName": "张三", "idNumber": number}}, token=account.token)
    assert body["data"]["accountRealNameSubmit"]["__typename"] == "RealNameVerification"


async def test_queue_is_for_reviewers_only(client):
    user = await client.signup()
    anonymous = await client.gql(QUEUE)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    forbidden = await client.gql(QUEUE, token=user.token)
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_reviewers_see_pending_submissions_oldest_first_with_constant_sql(client):
    reviewer = await client.signup(roles=("REVIEWER",))
    people = [await client.signup(name=f"Person {i}") for i in range(4)]
    for i, person in enumerate(people):
        await submit(client, person, f"{100 + i}")
    await client.gql(QUEUE, {"first": 1}, token=reviewer.token)  # fills the actor cache
    with QueryCounter() as two:
        small = await client.gql(QUEUE, {"first": 2}, token=reviewer.token)
    with QueryCounter() as four:
        body = await client.gql(QUEUE, {"first": 4}, token=reviewer.token)
    names = [edge["node"]["user"]["displayName"] for edge in body["data"]["realNameQueue"]["edges"]]
    assert names == ["Person 0", "Person 1", "Person 2", "Person 3"]
    assert body["data"]["realNameQueue"]["edges"][0]["node"]["verification"]["status"] == "PENDING"
    assert "*" in body["data"]["realNameQueue"]["edges"][0]["node"]["verification"]["maskedIdNumber"]
    assert small["data"]["realNameQueue"]["pageInfo"]["hasNextPage"] is True
    assert two.count == four.count
