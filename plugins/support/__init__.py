"""support (free; priority for `priority_support`): tickets, agents' queue, SLAs, live ticket events, satisfaction and metrics.

Needs: account.
"""
