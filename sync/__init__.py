"""Sync with the municipality's central system: shared protocol, laptop client, central server."""
