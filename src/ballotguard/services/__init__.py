"""Use cases: one module per family. Each takes a unit of work and plain values, checks the
actor's permission, applies the domain rule, writes the audit log and commits once."""
