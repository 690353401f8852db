"""community (free): the forum: boards, threads, replies, votes, accepted answers, reports and moderation.

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
