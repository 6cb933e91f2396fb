"""The staff back office: overview, organisation and people lists, topics and regions,
spreadsheet import and export. Only network staff (``permissions.can_view_backoffice``)."""
