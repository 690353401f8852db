"""support (free; priority for `priority_support`): tickets, agents' queue, SLAs, live ticket events, satisfaction and metrics.

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
