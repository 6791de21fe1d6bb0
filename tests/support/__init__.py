"""Helpers shared by the domain, service and store tests: the throwaway PostgreSQL server, a
controllable clock, and small builders for organisations, people and reports."""
