"""The GraphQL layer: builds one strawberry schema from the plugins' contributions and holds the
shared shapes (errors, permissions, Relay nodes and connections, request limits)."""
