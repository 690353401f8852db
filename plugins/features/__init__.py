"""features (free): runtime feature flags (storage, admin and the rules the built-in OpenFeature
provider evaluates) and entitlement administration (who holds what, bulk grants to a segment,
revocation). The flags themselves are evaluated by `core.flags`.

Needs: account, premium (entitlement grants go through `plugins.premium.api`).
"""
