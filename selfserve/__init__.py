"""The running service: app factory, GraphQL-over-HTTP transport, websockets, health and CLI.

This package assembles `core` (services), `schema` (GraphQL) and the plugins; nothing imports it.
"""
