"""account (free): registration, sign-in, sessions with rotating refresh tokens, roles, and the
account-security self-service (codes, reset, contacts, two-step verification, real-name checks).

Needs no other plugin; every other plugin relies on its `account.User` model and its tokens.
"""
