"""The URL × role matrix, one rows module per area (see base.py)."""
