"""ads (free): advertising-partnership inquiries and applications with document review.

Needs: account.
"""
