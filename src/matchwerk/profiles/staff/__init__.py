"""The profiles app's back office pages: overview, organisation and people lists, topics
and regions, spreadsheet import and export. Guarded by ``core.staff.staff_view``, rules
in ``profiles.rules``, lists scoped to the staff member's regions."""
