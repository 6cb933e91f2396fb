"""Reports of a programme: the figures (``figures``), their charts (``charts``), the
dashboard and the funder report as PDF and XLSX (``views``, ``exports``)."""
