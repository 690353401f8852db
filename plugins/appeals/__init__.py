"""appeals (free): appeals against moderation decisions, reviewer queue, escalation, and automatic restoration when a decision is overturned.

Needs: account, content.
"""
