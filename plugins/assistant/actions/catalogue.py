"""The actions the assistant can take. A status reader answers a topic from the user's own data;
a change is offered as a `Pending` action and runs only after the user confirms. Each one calls
another plugin's api.py with the signed-in user's id, so it follows exactly the rules the API does.

To add an action: write the read or the change in your plugin's api.py, then add a reader to
`READERS` (topic -> function) or a `Change` to `CHANGES` (kind -> summary, run, slots) here.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from core.errors import DomainError
from plugins.assistant.actions.state import Pending
from plugins.assistant.actions.texts import money, say, when, word


@dataclass
class Outcome:
    """What a reader adds to the answer: text, and optionally an action to offer."""

    text: str = ""
    offer: Pending | None = None
    #: The object the answer is about ("order #12"), carried into a handoff ticket.
    subject: str | None = None


@dataclass(frozen=True)
class Change:
    """A change on the user's behalf: `slots` are asked for first, then a yes/no."""

    summary: Callable[[dict[str, Any], str], str]
    run: Callable[[Any, Pending, str], Awaitable[str]]
    slots: tuple[str, ...] = field(default_factory=tuple)


def _plugin_enabled(context: Any, name: str) -> bool:
    from core.plugins import enabled

    return enabled(context.services.pm, name)


# --- readers -----------------------------------------------------------------------------------


def _order_line(order: dict, language: str) -> str:
    refund = order["refund"]
    params = {
        "order": order["id"],
        "coins": order["coins"],
        "amount": money(order["amount"]),
        "currency": order["currency"],
    }
    if refund is None:
        return say("order_status", language, status=word(order["status"], language), **params)
    if refund["status"] == "COMPLETED":
        arrival = say("refund_when_done", language, at=when(refund["completed_at"]))
    elif refund["status"] == "FAILED":
        arrival = say("refund_when_failed", language)
    else:
        arrival = say("refund_when_pending", language)
    return say("refund_status", language, status=word(refund["status"], language), when=arrival, **params)


async def _verification_note(user_id: str, language: str) -> str:
    from plugins.account.api import is_verified_adult

    return "" if await is_verified_adult(user_id) else say("verify_first", language)


async def read_money(context: Any, user_id: str, language: str, topic: str) -> Outcome:
    """Refund, recharge and failed-payment questions: the latest orders and refunds."""
    from plugins.payments.api import recent_orders, refundable_orders

    lines = []
    if topic == "payments.recharge" or topic == "payments.refund":
        note = await _verification_note(user_id, language)
        if note:
            return Outcome(note)
    orders = await recent_orders(user_id, limit=3)
    if not orders:
        return Outcome(say("no_orders", language))
    with_refund = [o for o in orders if o["refund"]]
    shown = with_refund[:2] if topic == "payments.refund" and with_refund else orders[:1]
    lines.extend(_order_line(o, language) for o in shown)
    subject = f"order #{shown[0]['id']}"
    offer = None
    if topic == "payments.refund" and not with_refund:
        eligible = await refundable_orders(context.services, user_id)
        if eligible:
            order = eligible[0]
            params = {
                "order": order["id"],
                "coins": order["coins"],
                "amount": money(order["amount"]),
                "currency": order["currency"],
            }
            lines.append(say("offer_refund", language, **params))
            offer = Pending("payments.refund", user_id, params)
            subject = f"order #{order['id']}"
    return Outcome("\n".join(lines), offer, subject)


async def read_appeal(context: Any, user_id: str, language: str, topic: str) -> Outcome:
    """Appeal progress: the newest appeal's status and due time."""
    from plugins.appeals.api import latest_appeal

    appeal = await latest_appeal(user_id)
    if appeal is None:
        return Outcome(say("no_appeal", language))
    return Outcome(
        say(
            "appeal_status",
            language,
            appeal=appeal["id"],
            kind=word(appeal["decision_kind"], language),
            status=word(appeal["status"], language),
            created=when(appeal["created_at"]),
            due=when(appeal["due_at"]),
            note=appeal["note"] or "",
        ).strip(),
        subject=f"appeal #{appeal['id']}",
    )


async def _appeal_offer(user_id: str, kind: str) -> Pending | None:
    from plugins.appeals.api import appealable_decisions

    for decision in await appealable_decisions(user_id):
        if decision["kind"] == kind:
            return Pending(
                "appeals.file",
                user_id,
                {"decision": decision["id"], "kind": kind},
                awaiting="reason",
            )
    return None


async def read_removal(context: Any, user_id: str, language: str, topic: str) -> Outcome:
    """Why a video was removed: the decision's statement of reasons; offers the appeal."""
    from plugins.content.api import latest_removal

    removal = await latest_removal(user_id)
    if removal is None:
        return Outcome(say("no_removal", language))
    text = say(
        "removal",
        language,
        title=removal["video_title"] or "-",
        at=when(removal["created_at"]),
        reason=removal["reason"],
        statement=removal["statement"],
        reversed=say("removal_reversed", language) if removal["reversed"] else "",
    )
    offer = await _appeal_offer(user_id, "VIDEO_REMOVAL")
    if offer is not None:
        text += "\n" + say("ask_reason", language)
    return Outcome(text, offer, f"decision #{removal['id']}")


async def read_ban(context: Any, user_id: str, language: str, topic: str) -> Outcome:
    """A banned user: the ban's statement of reasons, and the appeal offered first."""
    from plugins.appeals.api import appealable_decisions

    bans = [d for d in await appealable_decisions(user_id) if d["kind"] == "ACCOUNT_BAN"]
    if not bans:
        return Outcome()
    ban = bans[0]
    text = say("banned_first", language, reason=ban["reason"], statement=ban["statement"])
    offer = Pending(
        "appeals.file", user_id, {"decision": ban["id"], "kind": "ACCOUNT_BAN"}, awaiting="reason"
    )
    return Outcome(text + "\n" + say("ask_reason", language), offer, f"decision #{ban['id']}")


async def read_security(context: Any, user_id: str, language: str, topic: str) -> Outcome:
    """A suspicious sign-in: offer to sign out every other device."""
    return Outcome(say("offer_sign_out", language), Pending("account.sign_out_others", user_id))


async def read_reset(context: Any, user_id: str, language: str, topic: str) -> Outcome:
    """A forgotten password: offer a reset code to the bound contact (masked)."""
    from plugins.account.api import bound_contact

    contact = await bound_contact(user_id)
    if contact is None:
        return Outcome(say("no_contact", language))
    params = {"masked": contact["masked"], "channel": contact["channel"]}
    text = say(
        "offer_reset_code", language, channel=word(contact["channel"], language), masked=contact["masked"]
    )
    return Outcome(text, Pending("account.send_reset_code", user_id, params))


#: Premium topics -> the entitlement that answers "do I have it" and its names.
ADDONS = {
    "premium.analytics": ("analytics_report", {"zh-CN": "专业账号分析", "en": "Pro account analytics"}),
    "premium.promotion": (
        "promotion_advice",
        {"zh-CN": "个性化推广建议", "en": "Personalised promotion advice"},
    ),
    "premium.priority_support": ("priority_support", {"zh-CN": "优先客服", "en": "Priority support"}),
    "premium.courses": ("courses", {"zh-CN": "高级培训课程", "en": "Training courses"}),
}


async def read_addon(context: Any, user_id: str, language: str, topic: str) -> Outcome:
    """Whether the user holds the topic's add-on (the core entitlement service decides)."""
    entitlement, titles = ADDONS[topic]
    held = entitlement in await context.services.entitlements.for_user(user_id)
    title = titles.get(language, titles["en"])
    return Outcome(say("addon_held" if held else "addon_missing", language, title=title))


async def read_ticket(context: Any, user_id: str, language: str, topic: str) -> Outcome:
    """The user's newest support ticket and its state."""
    from plugins.support.api import latest_ticket

    ticket = await latest_ticket(user_id)
    if ticket is None:
        return Outcome(say("no_ticket", language))
    text = say(
        "ticket_status",
        language,
        number=ticket["number"],
        subject=ticket["subject"],
        status=word(f"ticket.{ticket['status']}", language),
        created=when(ticket["created_at"]),
    )
    return Outcome(text, subject=f"ticket #{ticket['number']}")


#: "my ticket" names its own reader whatever the topic ("我的工单处理到哪了").
_TICKET = re.compile(r"工单|\btickets?\b")

Reader = Callable[[Any, str, str, str], Awaitable[Outcome]]
#: topic -> (plugin that must be enabled, reader).
READERS: dict[str, tuple[str, Reader]] = {
    "payments.refund": ("payments", read_money),
    "payments.failed": ("payments", read_money),
    "payments.recharge": ("payments", read_money),
    "appeals.progress": ("appeals", read_appeal),
    "appeals.content_removed": ("appeals", read_removal),
    "appeals.account_banned": ("appeals", read_ban),
    "account.compromised": ("account", read_security),
    "account.devices": ("account", read_security),
    "account.password_reset": ("account", read_reset),
    **{topic: ("premium", read_addon) for topic in ADDONS},
}


def about_data(topic: str | None, text: str) -> bool:
    """True when the message asks about the user's own data (anonymous users get a sign-in link)."""
    return topic in READERS or bool(_TICKET.search(text))


async def read(context: Any, topic: str | None, language: str, text: str = "") -> Outcome | None:
    """The status answer and offer for `topic` from the signed-in user's data (None: no reader)."""
    entry = ("support", read_ticket) if _TICKET.search(text) else READERS.get(topic or "")
    if entry is None or context.actor is None or not _plugin_enabled(context, entry[0]):
        return None
    return await entry[1](context, str(context.actor.user_id), language, topic or "")


async def banned_first(context: Any, language: str) -> Outcome | None:
    """For a restricted (banned) session: the appeal, offered before anything else."""
    if context.actor is None or not context.actor.restricted or not _plugin_enabled(context, "appeals"):
        return None
    outcome = await read_ban(context, str(context.actor.user_id), language, "appeals.account_banned")
    return outcome if outcome.offer else None


# --- changes -----------------------------------------------------------------------------------


async def _file_appeal(context: Any, pending: Pending, language: str) -> str:
    from plugins.appeals.api import file_appeal

    appeal = await file_appeal(
        context.services, pending.user_id, int(pending.params["decision"]), pending.params["reason"]
    )
    return say("appeal_filed", language, appeal=appeal["id"], due=when(appeal["due_at"]))


async def _sign_out_others(context: Any, pending: Pending, language: str) -> str:
    from plugins.account.api import sign_out_other_sessions

    count = await sign_out_other_sessions(context.services, pending.user_id, context.actor.session_id)
    return say("signed_out", language, count=count)


async def _refund(context: Any, pending: Pending, language: str) -> str:
    from plugins.payments.api import refund_order

    reason = "Requested through the assistant"
    refund = await refund_order(
        context.services, pending.user_id, int(pending.params["order"]), reason, f"assistant-{pending.id}"
    )
    return say(
        "refund_requested",
        language,
        order=refund["order_id"],
        amount=money(refund["amount"]),
        status=word(refund["status"], language),
    )


async def _send_reset_code(context: Any, pending: Pending, language: str) -> str:
    from plugins.account.api import send_password_reset_code

    contact = await send_password_reset_code(context, pending.user_id)
    if contact is None:
        return say("no_contact", language)
    return say("reset_code_sent", language, masked=contact["masked"])


CHANGES: dict[str, Change] = {
    "appeals.file": Change(
        summary=lambda p, lang: say(
            "summary_appeal",
            lang,
            decision=p["decision"],
            kind=word(p["kind"], lang),
            reason=p.get("reason", ""),
        ),
        run=_file_appeal,
        slots=("reason",),
    ),
    "account.sign_out_others": Change(
        summary=lambda p, lang: say("summary_sign_out", lang), run=_sign_out_others
    ),
    "payments.refund": Change(summary=lambda p, lang: say("summary_refund", lang, **p), run=_refund),
    "account.send_reset_code": Change(
        summary=lambda p, lang: say("summary_reset_code", lang, **p), run=_send_reset_code
    ),
}


def summary(pending: Pending, language: str) -> str:
    """What the pending action will do, in words."""
    return CHANGES[pending.kind].summary(pending.params, language)


async def run(context: Any, pending: Pending, language: str) -> str:
    """Carry out a confirmed action; a refusal by the owning plugin becomes the answer."""
    try:
        return await CHANGES[pending.kind].run(context, pending, language)
    except DomainError as error:
        params = getattr(error, "params", None) or {}
        message = context.services.catalog.message(error.code, language, params)
        return say("failed", language, message=message)
