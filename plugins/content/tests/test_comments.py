"""Comments through HTTP: create, the owner's keyword filter and moderation, comments off."""

from __future__ import annotations

from tests.helpers import error_code
from tests.moderation import ban, published_video

CREATE = """
mutation C($videoId: ID!, $body: String!) {
  commentCreate(videoId: $videoId, body: $body) {
    __typename
    ... on Comment { id body status pinned filtered author { displayName } }
    ... on ContentError { code field }
  }
}
"""
MODERATE = """
mutation M($id: ID!, $action: CommentAction!) {
  commentModerate(id: $id, action: $action) {
    __typename
    ... on Comment { id status pinned }
    ... on ContentError { code }
  }
}
"""
FILTER = "mutation F($k: [String!]!) { commentFilterUpdate(keywords: $k) { __typename ... on CommentFilter { keywords } } }"
LIST = "query L($id: ID!) { node(id: $id) { ... on Video { comments { edges { node { id body status pinned } } } } } }"
TOGGLE = "mutation T($input: VideoUpdateInput!) { videoUpdate(input: $input) { __typename } }"


async def _comment(client, account, video_id, body="Nice video!"):
    result = await client.gql(CREATE, {"videoId": video_id, "body": body}, token=account.token)
    return result["data"]["commentCreate"] if result.get("data") else result


async def _listed(client, account, video_id):
    body = await client.gql(LIST, {"id": video_id}, token=account.token if account else None)
    return [edge["node"] for edge in body["data"]["node"]["comments"]["edges"]]


async def test_comment_create_as_each_kind_of_caller(client):
    owner, other = await client.signup(), await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    video = await published_video(client, owner)
    made = await _comment(client, other, video["id"])
    assert (made["__typename"], made["status"]) == ("Comment", "VISIBLE")
    assert (await _comment(client, owner, video["id"], "Thanks!"))["__typename"] == "Comment"
    assert error_code(await client.gql(CREATE, {"videoId": video["id"], "body": "hi"})) == "UNAUTHENTICATED"
    assert (await _comment(client, other, video["id"], "   "))["code"] == "INVALID_INPUT"
    assert (await _comment(client, other, video["id"], "x" * 501))["code"] == "INVALID_INPUT"
    await ban(client, reviewer, other.id)
    assert error_code(await _comment(client, other, video["id"])) == "FORBIDDEN"
    assert [c["body"] for c in await _listed(client, None, video["id"])] == ["Thanks!", "Nice video!"]


async def test_private_video_and_comments_off(client):
    owner, other = await client.signup(), await client.signup()
    video = await published_video(client, owner)
    await client.gql(TOGGLE, {"input": {"id": video["id"], "commentsEnabled": False}}, token=owner.token)
    assert (await _comment(client, other, video["id"]))["code"] == "COMMENTS_DISABLED"
    await client.gql(
        TOGGLE,
        {"input": {"id": video["id"], "commentsEnabled": True, "visibility": "PRIVATE"}},
        token=owner.token,
    )
    assert (await _comment(client, other, video["id"]))["code"] == "NOT_FOUND"
    assert (await _comment(client, owner, video["id"]))["__typename"] == "Comment"


async def test_keyword_filter_hides_matching_new_comments(client):
    owner, other = await client.signup(), await client.signup()
    video = await published_video(client, owner)
    body = await client.gql(FILTER, {"k": ["spam", " 广告 ", "SPAM", ""]}, token=owner.token)
    assert body["data"]["commentFilterUpdate"]["keywords"] == ["spam", "广告"]
    hidden = await _comment(client, other, video["id"], "Buy SPAM here")
    chinese = await _comment(client, other, video["id"], "看广告领红包")
    fine = await _comment(client, other, video["id"], "Lovely")
    assert (hidden["status"], hidden["filtered"]) == ("HIDDEN", True)
    assert chinese["status"] == "HIDDEN"
    assert fine["status"] == "VISIBLE"
    assert [c["body"] for c in await _listed(client, other, video["id"])] == [
        "Lovely",
        "看广告领红包",
        "Buy SPAM here",
    ]
    assert [c["body"] for c in await _listed(client, None, video["id"])] == ["Lovely"]
    assert len(await _listed(client, owner, video["id"])) == 3
    assert error_code(await client.gql(FILTER, {"k": ["x"]})) == "UNAUTHENTICATED"
    too_many = await client.gql(FILTER, {"k": [f"k{i}" for i in range(201)]}, token=owner.token)
    assert too_many["data"]["commentFilterUpdate"]["__typename"] == "ContentError"


async def test_owner_moderates_one_pinned_comment(client):
    owner, other, third = await client.signup(), await client.signup(), await client.signup()
    video = await published_video(client, owner)
    first = await _comment(client, other, video["id"], "first")
    second = await _comment(client, third, video["id"], "second")

    async def act(account, comment, action):
        body = await client.gql(MODERATE, {"id": comment["id"], "action": action}, token=account.token)
        return body["data"]["commentModerate"] if body.get("data") else body

    assert (await act(owner, first, "PIN"))["pinned"] is True
    assert (await act(owner, second, "PIN"))["pinned"] is True
    listed = await _listed(client, owner, video["id"])
    assert [(c["body"], c["pinned"]) for c in listed] == [("second", True), ("first", False)]
    assert (await act(owner, second, "UNPIN"))["pinned"] is False
    assert (await act(owner, first, "HIDE"))["status"] == "HIDDEN"
    assert (await act(owner, first, "PIN"))["code"] == "INVALID_INPUT"
    assert (await act(third, first, "HIDE"))["code"] == "NOT_FOUND"  # not the video owner
    assert (await act(third, second, "HIDE"))["code"] == "NOT_FOUND"  # an author may only delete
    assert (await act(third, second, "DELETE"))["status"] == "DELETED"
    assert (await act(owner, second, "UNPIN"))["code"] == "NOT_FOUND"  # deleted is gone
    assert error_code(await client.gql(MODERATE, {"id": first["id"], "action": "HIDE"})) == "UNAUTHENTICATED"
    assert [c["body"] for c in await _listed(client, third, video["id"])] == []
    assert [c["body"] for c in await _listed(client, other, video["id"])] == [
        "first"
    ]  # its author still sees it


async def test_comment_node_follows_the_video_and_hidden_state(client):
    owner, other = await client.signup(), await client.signup()
    video = await published_video(client, owner)
    await client.gql(FILTER, {"k": ["spam"]}, token=owner.token)
    shown = await _comment(client, other, video["id"], "lovely")
    hidden = await _comment(client, other, video["id"], "spam link")
    node = "query N($id: ID!) { node(id: $id) { ... on Comment { body author { displayName } } } }"
    assert (await client.gql(node, {"id": shown["id"]}))["data"]["node"]["body"] == "lovely"
    third = await client.signup()
    assert (await client.gql(node, {"id": hidden["id"]}, token=third.token))["data"]["node"] is None
    assert (await client.gql(node, {"id": hidden["id"]}))["data"]["node"] is None
    assert (await client.gql(node, {"id": hidden["id"]}, token=other.token))["data"]["node"][
        "body"
    ] == "spam link"
    assert (await client.gql(node, {"id": hidden["id"]}, token=owner.token))["data"]["node"][
        "body"
    ] == "spam link"
