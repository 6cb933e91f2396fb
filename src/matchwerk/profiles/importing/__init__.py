"""Spreadsheet import of organisations with contacts, needs and offers.

``plan_import(content, filename)`` reads and checks a file and returns an ``ImportPlan``
(rows to write, every problem with row and column, warnings); ``organisations_import``
writes a plan without problems, all or nothing. The format is described in
docs/import-export.md.
"""

from matchwerk.profiles.importing.applying import ImportResult, organisations_import
from matchwerk.profiles.importing.reading import MAX_FILE_BYTES, MAX_ROWS, FileProblem, Table, read_table
from matchwerk.profiles.importing.validation import ImportPlan, OrganisationRow, Problem, build_plan


def plan_import(content: bytes, filename: str = "") -> ImportPlan:
    """Read and check a file; a problem with the whole file becomes the plan's only problem."""
    try:
        table = read_table(content, filename)
    except FileProblem as problem:
        plan = ImportPlan()
        plan.add(Problem(row=0, message=str(problem)))
        return plan
    return build_plan(table)


__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "FileProblem", "ImportPlan", "ImportResult", "OrganisationRow", "Problem",
           "Table", "build_plan", "organisations_import", "plan_import", "read_table"]
