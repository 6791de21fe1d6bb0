"""Definitions of interference as versioned, testable rules; verdicts with reasons; the case library."""
