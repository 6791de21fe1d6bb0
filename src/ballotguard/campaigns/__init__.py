"""Correlation of separate reports into campaigns: separate activities can add up to interference."""
