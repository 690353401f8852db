"""feedback (free): feedback submissions, surveys (CSAT, NPS, choice, text) and insights that rank weak spots.

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
