"""The portal's routes (the `register_routes` hook)."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from core.plugins import enabled
from plugins.portal.live import live
from plugins.portal.pages import (
    account,
    appeals,
    auth,
    chat,
    community,
    graphiql,
    help,
    identity,
    preferences,
    premium,
    staff,
    staff_apps,
    staff_flags,
    staff_help,
    staff_metrics,
    staff_realname,
    tickets,
    videos,
    wallet,
)
from plugins.portal.web import Page

STATIC_DIR = Path(__file__).parent / "static"


def needs(plugin: str, endpoint):
    """`endpoint`, answering the portal's 404 page when optional `plugin` is not enabled here."""

    async def guarded(request):
        if not enabled(request.app.state.pm, plugin):
            return help.not_found(Page(request))
        return await endpoint(request)

    guarded.__doc__ = endpoint.__doc__
    return guarded


def routes() -> list:
    """Every portal page, its forms and its static files."""
    return [
        Route("/", help.home, methods=["GET"]),
        Route("/help/{category}", help.category, methods=["GET"]),
        Route("/help/{category}/{slug}", help.article, methods=["GET"]),
        Route("/help/{category}/{slug}/feedback", help.feedback, methods=["POST"]),
        Route("/preferences", preferences.preferences, methods=["POST"]),
        Route("/login", auth.login, methods=["GET", "POST"]),
        Route("/login/reset", auth.reset, methods=["GET", "POST"]),
        Route("/logout", auth.logout, methods=["POST"]),
        Route("/account", account.account, methods=["GET"]),
        Route("/account/realname", identity.real_name, methods=["POST"]),
        Route("/account/delete", identity.delete, methods=["POST"]),
        Route("/account/{action}", account.act, methods=["POST"]),
        Route("/chat", needs("assistant", chat.chat), methods=["GET", "POST"]),
        Route("/tickets", needs("support", tickets.tickets), methods=["GET"]),
        Route("/tickets/{id}", needs("support", tickets.ticket), methods=["GET", "POST"]),
        Route("/tickets/{id}/{action}", needs("support", tickets.act), methods=["POST"]),
        Route("/videos", needs("content", videos.videos), methods=["GET"]),
        Route("/appeals", needs("appeals", appeals.appeals), methods=["GET"]),
        Route("/appeals/new", needs("appeals", appeals.new), methods=["GET", "POST"]),
        Route("/appeals/{id}/escalate", needs("appeals", appeals.escalate), methods=["POST"]),
        Route("/community", needs("community", community.community), methods=["GET"]),
        Route("/community/new", needs("community", community.create), methods=["POST"]),
        Route("/community/threads/{id}", needs("community", community.thread), methods=["GET", "POST"]),
        Route("/community/threads/{id}/{action}", needs("community", community.act), methods=["POST"]),
        Route("/staff", needs("support", staff.console), methods=["GET"]),
        Route("/staff/tickets/{id}", needs("support", staff.staff_ticket), methods=["GET", "POST"]),
        Route("/staff/tickets/{id}/{action}", needs("support", staff.staff_ticket_action), methods=["POST"]),
        Route("/staff/appeals/{id}/decide", needs("appeals", staff.appeal_decide), methods=["POST"]),
        Route("/staff/realname", staff_realname.queue, methods=["GET"]),
        Route("/staff/realname/{id}/decide", staff_realname.decide, methods=["POST"]),
        Route("/staff/metrics", needs("support", staff_metrics.metrics), methods=["GET"]),
        Route("/staff/help", staff_help.articles, methods=["GET"]),
        Route("/staff/help/{id}", staff_help.editor, methods=["GET", "POST"]),
        Route("/staff/help/{id}/media", staff_help.media, methods=["POST"]),
        Route("/staff/flags", needs("features", staff_flags.flags), methods=["GET", "POST"]),
        Route("/staff/apps", needs("partners", staff_apps.apps), methods=["GET", "POST"]),
        Route("/staff/webhooks/{id}", needs("partners", staff_apps.deliveries), methods=["GET", "POST"]),
        Route("/wallet", needs("payments", wallet.wallet), methods=["GET"]),
        Route("/wallet/{action:str}", needs("payments", wallet.act), methods=["POST"]),
        Route("/premium", needs("premium", premium.premium), methods=["GET", "POST"]),
        Route("/premium/analytics", needs("premium", premium.analytics), methods=["GET"]),
        Route("/graphiql", graphiql.graphiql, methods=["GET"]),
        WebSocketRoute("/portal/live", live),
        Mount("/portal/static", app=StaticFiles(directory=STATIC_DIR), name="portal-static"),
    ]
