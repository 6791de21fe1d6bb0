"""The web adapter: JSON API, analyst UI, static files; errors mapped in one module."""
