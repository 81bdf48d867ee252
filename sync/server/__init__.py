"""The central sync server (FastAPI on PostgreSQL); run with ``python -m sync.server``."""
