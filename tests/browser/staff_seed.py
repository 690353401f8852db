"""Six weeks of support history for the staff dashboard's browser test and screenshots: tickets,
replies, ratings, assistant conversations and NPS answers made through the API, then spread over
the past weeks in the live server's SQLite file (as `portal_live.make_verified_adult` does)."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, timedelta

from tests.browser.portal_live import Portal
from tests.live_servers import gql

TICKET = "mutation($i: TicketCreateInput!) { ticketCreate(input: $i) { ... on Ticket { id } } }"
REPLY = "mutation($i: TicketReplyInput!) { ticketReply(input: $i) { __typename } }"
SOLVE = "mutation($id: ID!) { ticketSetStatus(ticketId: $id, status: SOLVED) { __typename } }"
RATE = "mutation($id: ID!, $s: Int!) { ticketRate(ticketId: $id, score: $s) { __typename } }"
ASK = "mutation($i: AssistantAskInput!) { assistantAsk(input: $i) { conversationId } }"
SURVEY = """mutation($i: SurveyCreateInput!) { surveyCreate(input: $i) { ... on Survey { id questions { id } } } }"""
OPEN = "mutation($i: SurveySetStatusInput!) { surveySetStatus(input: $i) { __typename } }"
ANSWER = "mutation($i: SurveyAnswerInput!) { surveyAnswer(input: $i) { __typename } }"
WEEKS = 6


def _shift(db: sqlite3.Connection, table: str, row_id: object, columns: list[str], delta: timedelta) -> None:
    values = db.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (row_id,)).fetchone()
    moved = [str(datetime.fromisoformat(v) + delta) if v else None for v in values]
    db.execute(f"UPDATE {table} SET {', '.join(c + ' = ?' for c in columns)} WHERE id = ?", (*moved, row_id))


async def seed_support_history(portal: Portal, admin_token: str) -> None:
    """Twelve tickets (replied, most solved and rated), eight assistant chats, six NPS answers."""
    users = [await portal.register(f"m{i}-{uuid.uuid4().hex[:6]}@portal.test", f"User {i}") for i in range(6)]
    scores = [5, 4, 3, 5, 2, 4]
    for k in range(12):
        token = users[k % 6]["accessToken"]
        ticket = (await gql(portal.base, TICKET, {"i": {"category": "payments.refund", "subject": f"Refund {k}",
                                                          "body": "My recharge went wrong."}}, token))  # fmt: skip
        ticket_id = ticket["data"]["ticketCreate"]["id"]
        await gql(portal.base, REPLY, {"i": {"ticketId": ticket_id, "body": "We are on it."}}, admin_token)
        if k % 4 != 3:
            await gql(portal.base, SOLVE, {"id": ticket_id}, admin_token)
            await gql(portal.base, RATE, {"id": ticket_id, "s": scores[k % 6]}, token)
    for k in range(8):
        await gql(portal.base, ASK, {"i": {"message": "转人工" if k % 3 == 0 else "怎么退款？"}})
    survey = (await gql(portal.base, SURVEY, {"i": {"title": "NPS", "questions": [
        {"kind": "NPS", "prompt": "How likely are you to recommend us?"}]}}, admin_token))["data"]["surveyCreate"]  # fmt: skip
    await gql(portal.base, OPEN, {"i": {"surveyId": survey["id"], "status": "OPEN"}}, admin_token)
    for i, user in enumerate(users):
        answer = {"surveyId": survey["id"], "answers": [{"questionId": survey["questions"][0]["id"],
                                                         "score": [6, 7, 9, 8, 10, 9][i]}]}  # fmt: skip
        await gql(portal.base, ANSWER, {"i": answer}, user["accessToken"])
    _spread(portal)


def _spread(portal: Portal) -> None:
    """Move each row back by 0..5 weeks, and vary the reply and solve times."""
    with sqlite3.connect(portal.var_dir / "selfserve.sqlite3") as db:
        tickets = [row[0] for row in db.execute("SELECT id FROM support_ticket ORDER BY id")]
        for k, ticket in enumerate(tickets):
            _shift(db, "support_ticket", ticket, ["first_response_at"], timedelta(minutes=12 + 9 * (k % 5)))
            _shift(db, "support_ticket", ticket, ["solved_at"], timedelta(hours=1 + (k * 7) % 5))
            columns = ["created_at", "due_at", "first_response_due_at", "resolution_due_at", "first_response_at",
                       "solved_at"]  # fmt: skip
            _shift(db, "support_ticket", ticket, columns, -timedelta(weeks=k % WEEKS, hours=2))
            if k % 4 == 1:  # a quarter missed the first-response target
                db.execute("UPDATE support_ticket SET first_response_breached = 1 WHERE id = ?", (ticket,))
            rating = db.execute("SELECT id FROM support_rating WHERE ticket_id = ?", (ticket,)).fetchone()
            if rating:
                _shift(db, "support_rating", rating[0], ["created_at"], -timedelta(weeks=k % WEEKS, hours=1))
        for k, (chat,) in enumerate(db.execute("SELECT id FROM assistant_conversation").fetchall()):
            _shift(db, "assistant_conversation", chat, ["created_at"], -timedelta(weeks=k % WEEKS, hours=1))
            if k % 3 == 1:  # a third asked for a person
                db.execute(
                    "UPDATE assistant_conversation SET handed_off_at = created_at WHERE id = ?", (chat,)
                )
        for k, (response,) in enumerate(db.execute("SELECT id FROM feedback_survey_response").fetchall()):
            _shift(
                db, "feedback_survey_response", response, ["created_at"], -timedelta(weeks=k % WEEKS, hours=1)
            )
