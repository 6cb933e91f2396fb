"""Programmes: what a network runs (kind pairs, regions, its team). The programmes issue
builds grants, stages and reports here; matching refers to a programme for its suggestions
and matches."""
