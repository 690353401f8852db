"""account (free): registration, sign-in, sessions with rotating refresh tokens, roles, and the
account-security self-service (codes, reset, contacts, two-step verification, real-name checks).

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
