"""Peers of the `make bench` comparison: what a user would write instead of selfserve.

`stock`: strawberry's own ASGI view on Starlette, one resolver per workload doing the work by hand.
`bare`: plain Starlette endpoints running the same SQL and writing the same JSON by hand.
Both answer `POST /graphql` so the one load script per workload drives all three servers."""
