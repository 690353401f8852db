"""`/videos`: the user's videos with their moderation state, and the decisions about them with their
statement of reasons (a link to appeal each one that still can be)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from core.plugins import enabled
from plugins.portal.pages.appeals import decisions_with_appeals
from plugins.portal.web import Page


async def videos(request: Request) -> Response:
    """My videos; in a restricted session (the API refuses `myVideos` there) the decisions only."""
    page = Page(request)
    viewer = await page.load_viewer()
    if viewer is None:
        return page.redirect("/login?next=/videos")
    restricted = viewer["status"] == "BANNED"
    found = [] if restricted else (await page.execute("my_videos"))["myVideos"]["nodes"]
    decisions = await decisions_with_appeals(page) if enabled(page.services.pm, "appeals") else []
    by_video = {}
    for decision in decisions:
        if decision["kind"] == "VIDEO_REMOVAL":
            by_video.setdefault(decision["subjectId"], []).append(decision)
    listed = {video["id"] for video in found}
    others = [d for d in decisions if d["kind"] != "VIDEO_REMOVAL" or d["subjectId"] not in listed]
    return page.render("videos.html", videos=found, by_video=by_video, others=others, restricted=restricted)
