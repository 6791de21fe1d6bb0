"""The TAXII 2.1 server: routes, media types and the error resource, durable paging tokens."""

from ballotguard.web.taxii.routes import router

__all__ = ["router"]
