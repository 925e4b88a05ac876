"""Routers per resource; each module exposes `router` (mounted under /v1 by api.main)."""
