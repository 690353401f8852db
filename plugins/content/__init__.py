"""content (free): videos (upload, edit, visibility, soft delete), comments and the owner's moderation, per-video stats, and reviewers' moderation decisions (removals, bans).

Needs: account.
"""
