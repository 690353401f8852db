"""GraphQL documents and small helpers shared by the community tests."""

from __future__ import annotations

THREAD_CREATE = """
mutation($input: ForumThreadCreateInput!) {
  forumThreadCreate(input: $input) {
    __typename
    ... on ForumThread { id title body bodyHtml status board { slug } author { displayName } }
    ... on CommunityError { code field message }
  }
}
"""
REPLY_CREATE = """
mutation($input: ForumReplyCreateInput!) {
  forumReplyCreate(input: $input) {
    __typename
    ... on ForumReply { id body status thread { replyCount } }
    ... on CommunityError { code field }
  }
}
"""
VOTE = """
mutation($input: ForumPostVoteInput!) {
  forumPostVote(input: $input) {
    __typename
    ... on ForumVote { postId voteCount }
    ... on CommunityError { code field }
  }
}
"""
REPORT = """
mutation($input: ForumPostReportInput!) {
  forumPostReport(input: $input) {
    __typename
    ... on ForumReportFiled { reportId message }
    ... on CommunityError { code field }
  }
}
"""
ACCEPT = """
mutation($input: ForumAnswerAcceptInput!) {
  forumAnswerAccept(input: $input) {
    __typename
    ... on ForumThread { id acceptedAnswer { id body } }
    ... on CommunityError { code field }
  }
}
"""
MODERATE = """
mutation($input: ForumPostModerateInput!) {
  forumPostModerate(input: $input) {
    __typename
    ... on ForumThread { id status locked pinned board { slug } }
    ... on ForumReply { id status }
    ... on CommunityError { code field }
  }
}
"""
THREAD = """
query($id: ID!) {
  forumThread(id: $id) {
    id title status replyCount voteCount viewerHasVoted locked
    acceptedAnswer { id }
    replies { edges { node { id body status author { displayName } } } }
  }
}
"""
THREADS = """
query($board: String, $first: Int, $after: String) {
  forumThreads(board: $board, first: $first, after: $after) {
    edges { cursor node { id title pinned replyCount author { displayName }
      lastReply { id body author { displayName } } board { slug } viewerHasVoted } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def new_thread(client, account, board="account", title="How do I reset?", body="I forgot my password."):
    """Create a thread and return its id (asserting success)."""
    body_json = await client.gql(
        THREAD_CREATE, {"input": {"board": board, "title": title, "body": body}}, token=account.token
    )
    result = body_json["data"]["forumThreadCreate"]
    assert result["__typename"] == "ForumThread", body_json
    return result["id"]


async def new_reply(client, account, thread_id, body="Use the code sent to your phone."):
    """Reply in a thread and return the reply id (asserting success)."""
    body_json = await client.gql(
        REPLY_CREATE, {"input": {"threadId": thread_id, "body": body}}, token=account.token
    )
    result = body_json["data"]["forumReplyCreate"]
    assert result["__typename"] == "ForumReply", body_json
    return result["id"]
