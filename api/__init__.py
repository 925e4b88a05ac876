"""HTTP service and web portal."""
