"""Onboard a service: one form, the plan to review, then projects, limits, alerts and keys."""
