"""The non-partisan expert panel: cases, deliberation, votes, a published threshold and decisions;
public notices in plain, neutral language; notifications to the victims of breaches and attempts.

Pure domain: values in, values out, no I/O (DESIGN.md). May import vocabulary, sharing,
assessment and campaigns.
"""
