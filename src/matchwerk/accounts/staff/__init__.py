"""The accounts app's back office pages (administrators: users, roles, regions)."""
