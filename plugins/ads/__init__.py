"""ads (free): advertising-partnership inquiries and applications with document review.

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
