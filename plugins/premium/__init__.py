"""premium (paid add-ons): the product catalogue, purchases from the wallet, subscriptions and the entitlements they grant (analytics_report, promotion_advice, priority_support, courses).

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
