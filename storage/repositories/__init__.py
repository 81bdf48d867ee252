"""Repositories: domain aggregates in, domain aggregates out; each save is one transaction."""
