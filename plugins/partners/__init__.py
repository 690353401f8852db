"""partners (free): partner apps with scoped tokens, the app-permission catalogue, signed outbound
webhooks (Standard Webhooks 1.0) with a delivery log and retries, and the audit-log query.

Needs: account (admins are users). Cooperates with every plugin that registers events and
permissions.
"""
