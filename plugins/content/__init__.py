"""content (free): videos (upload, edit, visibility, soft delete), comments and the owner's moderation, per-video stats, and reviewers' moderation decisions (removals, bans).

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
