"""The public API, `/api/v1`: read-only JSON for the registry, the standards, a token owner's own records
and the public statistics, described by one OpenAPI 3.1 document (docs/api.md)."""
