"""appeals (free): appeals against moderation decisions, reviewer queue, escalation, and automatic restoration when a decision is overturned.

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
