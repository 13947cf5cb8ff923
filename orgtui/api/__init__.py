"""HTTP access to the OpenAI Admin API; knows nothing of screens.

`client.AdminClient` (engine in `transport`, pacing in `throttle`, paging in `paging`),
`models` (the resources, pydantic models), `errors` (typed errors). Import from those modules directly.
"""
