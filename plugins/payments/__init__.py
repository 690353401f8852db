"""payments (free): a coin wallet on a double-entry ledger, recharges through payment providers (a sandbox one built in), idempotent refunds.

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
