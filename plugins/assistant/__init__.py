"""assistant (free, anonymous allowed): the 24-hour bilingual support assistant that answers from the help content, offers self-service actions and hands off to human agents.

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
