"""The analyst UI: server-rendered pages, no JavaScript needed, no external resources."""
