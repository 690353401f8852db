"""payments (free): a coin wallet on a double-entry ledger, recharges through payment providers (a sandbox one built in), idempotent refunds.

Needs: account.
"""
