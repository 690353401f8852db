"""feedback (free): feedback submissions, surveys (CSAT, NPS, choice, text) and insights that rank weak spots.

Needs: account.
"""
