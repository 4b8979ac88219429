"""Notices → chunks → index → retrieval → cited answers. Knows nothing of any front end."""
