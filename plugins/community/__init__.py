"""community (free): the forum: boards, threads, replies, votes, accepted answers, reports and moderation.

Needs: account.
"""
