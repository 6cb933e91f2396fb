"""Checking a read table row by row: every problem names the spreadsheet row and column.

The result is an ``ImportPlan``: plain ``OrganisationRow`` objects ready to be written,
all problems at once (never just the first), warnings (ignored columns, derived keys) and
what would be created or updated. Nothing is written here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from matchwerk.profiles.importing import columns as cols
from matchwerk.profiles.importing.reading import Table
from matchwerk.profiles.models import Need, Organisation, Person, Region, Topic

MAX_PROBLEMS = 500


@dataclass(frozen=True)
class Problem:
    row: int
    column: str = ""      # header as written in the file
    letter: str = ""      # spreadsheet column letter
    message: str = ""

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if self.letter:
            return _("Zeile %(row)d, Spalte %(letter)s („%(column)s“): %(message)s") % {
                "row": self.row, "letter": self.letter, "column": self.column, "message": self.message}
        return _("Zeile %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class Statement:
    title: str
    description: str = ""


@dataclass
class Contact:
    name: str
    email: str = ""
    phone: str = ""
    position: str = ""


@dataclass
class OrganisationRow:
    row: int
    key: str
    key_derived: bool
    name: str
    values: dict = field(default_factory=dict)       # model field -> value, only filled cells
    topic_ids: list[int] | None = None                 # None: leave topics as they are
    contact: Contact | None = None
    needs: list[Statement] | None = None               # None: leave needs as they are
    offers: list[Statement] | None = None
    existing_id: int | None = None

    @property
    def action(self) -> str:
        return "update" if self.existing_id else "create"


@dataclass
class ImportPlan:
    rows: list[OrganisationRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if not r.existing_id)

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.existing_id)

    def add(self, problem: Problem) -> None:
        self.total_problems += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").strip()
    # Our CSV export protects formula-like cells with a leading apostrophe; undo it.
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def _field_error(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


_ORG_FIELDS = {f: Organisation._meta.get_field(f) for f in ("name", "town", "website", "about", "founded")}
_PERSON_FIELDS = {f: Person._meta.get_field(f) for f in ("name", "email", "phone", "position")}
_STATEMENT_FIELDS = {f: Need._meta.get_field(f) for f in ("title", "description")}


class _Lookups:
    def __init__(self) -> None:
        self.regions: dict[str, tuple[int, str]] = {}
        for pk, name, slug in Region.objects.values_list("pk", "name", "slug"):
            self.regions[cols.normalise(name)] = (pk, name)
            self.regions.setdefault(cols.normalise(slug), (pk, name))
        self.topics: dict[str, int] = {}
        for pk, slug, name_de, name_en in Topic.objects.values_list("pk", "slug", "name_de", "name_en"):
            for label in (name_en, slug, name_de):   # German wins over English on a clash
                if label:
                    self.topics[cols.normalise(label)] = pk


def _map_headers(table: Table, plan: ImportPlan) -> dict[str, int] | None:
    positions: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        if not header:
            continue
        name = cols.field_for_header(header)
        letter = cols.column_letter(index)
        if name is None:
            plan.warnings.append(_("Spalte %(letter)s („%(header)s“) ist unbekannt und wird ignoriert.")
                                 % {"letter": letter, "header": header})
        elif name in positions:
            first = positions[name]
            message = _("Diese Spalte kommt doppelt vor (wie Spalte %(letter)s „%(other)s“).") % {
                "letter": cols.column_letter(first), "other": table.headers[first]}
            plan.add(Problem(table.header_row, header, letter, message))
        else:
            positions[name] = index
    missing = [c.header for c in cols.COLUMNS if c.field in cols.REQUIRED_FIELDS and c.field not in positions]
    if missing:
        found = ", ".join(f"„{h}“" for h in table.headers if h) or "–"
        message = _("Pflichtspalte(n) fehlen: %(missing)s. Gefundene Spalten: %(found)s. Bitte verwenden Sie die "
                    "Überschriften der Vorlage.") % {"missing": ", ".join(f"„{m}“" for m in missing), "found": found}
        plan.add(Problem(table.header_row, message=message))
    return None if plan.problems else positions


def build_plan(table: Table) -> ImportPlan:
    """Validate every row of ``table``; the plan lists all problems or the rows to write."""
    plan = ImportPlan()
    positions = _map_headers(table, plan)
    if positions is None:
        return plan
    lookups = _Lookups()
    statement_numbers = {kind: sorted({int(f.split("_")[1]) for f in positions if f.startswith(kind + "_")})
                         for kind in ("need", "offer")}
    seen_keys: dict[str, int] = {}
    for number, cells in table.rows:
        row = _RowChecker(number, cells, positions, table.headers, plan, lookups).check(statement_numbers)
        if row is None:
            continue
        if row.key in seen_keys:
            column = "key" if not row.key_derived else "name"
            plan.add(_RowChecker(number, cells, positions, table.headers, plan, lookups).problem(
                column, _("Der Schlüssel „%(key)s“ kommt schon in Zeile %(row)d vor. Jede Organisation darf nur "
                          "einmal in der Datei stehen; bei gleichnamigen Organisationen bitte die Spalte "
                          "„Schlüssel“ ausfüllen.") % {"key": row.key, "row": seen_keys[row.key]}))
            continue
        seen_keys[row.key] = number
        plan.rows.append(row)
    if plan.problems:
        return plan
    keys = [r.key for r in plan.rows]
    existing: dict[str, int] = {}
    for start in range(0, len(keys), 900):
        existing.update(Organisation.objects.filter(key__in=keys[start:start + 900]).values_list("key", "pk"))
    for row in plan.rows:
        row.existing_id = existing.get(row.key)
    derived = [r for r in plan.rows if r.key_derived]
    if derived:
        examples = ", ".join(f"{r.row}: {r.key}" for r in derived[:5])
        plan.warnings.append(_("%(count)d Zeile(n) ohne Schlüssel: der Schlüssel wird aus dem Namen gebildet "
                               "(z. B. Zeile %(examples)s).") % {"count": len(derived), "examples": examples})
    return plan


class _RowChecker:
    def __init__(self, number, cells, positions, headers, plan, lookups) -> None:
        self.number, self.cells, self.positions = number, cells, positions
        self.headers, self.plan, self.lookups = headers, plan, lookups
        self.failed = False

    def get(self, name: str) -> str:
        index = self.positions.get(name)
        if index is None or index >= len(self.cells):
            return ""
        return _text(self.cells[index])

    def raw(self, name: str):
        index = self.positions.get(name)
        return None if index is None or index >= len(self.cells) else self.cells[index]

    def problem(self, name: str, message: str) -> Problem:
        index = self.positions.get(name)
        if index is None:
            return Problem(self.number, message=message)
        return Problem(self.number, self.headers[index], cols.column_letter(index), message)

    def fail(self, name: str, message: str) -> None:
        self.failed = True
        self.plan.add(self.problem(name, message))

    def clean(self, model_field, name: str, value):
        try:
            return model_field.clean(value, None)
        except ValidationError as error:
            self.fail(name, _field_error(error))
            return None

    def check(self, statement_numbers) -> OrganisationRow | None:
        name = self.get("name")
        if not name:
            self.fail("name", _("Der Name fehlt."))
        else:
            self.clean(_ORG_FIELDS["name"], "name", name)
        key, derived = self._key(name)
        row = OrganisationRow(row=self.number, key=key, key_derived=derived, name=name)
        row.values["name"] = name
        self._kind(row)
        self._region(row)
        for plain in ("town", "about"):
            if value := self.get(plain):
                row.values[plain] = self.clean(_ORG_FIELDS[plain], plain, value)
        self._website(row)
        self._size(row)
        self._founded(row)
        self._topics(row)
        self._flags(row)
        self._contact(row)
        row.needs = self._statements("need", statement_numbers["need"])
        row.offers = self._statements("offer", statement_numbers["offer"])
        return None if self.failed else row

    @staticmethod
    def _slug(text: str) -> str:
        for umlaut, ascii_ in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"),
                               ("ß", "ss")):
            text = text.replace(umlaut, ascii_)
        return slugify(text)[:80].strip("-")

    def _key(self, name: str) -> tuple[str, bool]:
        given = self.get("key")
        if given:
            # A valid key is taken as written (keys made elsewhere may contain capitals);
            # anything else ("Müller GmbH") is turned into one.
            key = given if re.fullmatch(r"[-a-zA-Z0-9_]{1,80}", given) else self._slug(given)
            if not key:
                self.fail("key", _("Der Schlüssel darf nur Buchstaben, Ziffern und Bindestriche enthalten."))
            return key, False
        key = self._slug(name)
        if name and not key:
            self.fail("name", _("Aus diesem Namen lässt sich kein Schlüssel bilden; bitte die Spalte „Schlüssel“ "
                                "ausfüllen."))
        return key, True

    def _kind(self, row: OrganisationRow) -> None:
        value = self.get("kind")
        if not value:
            self.fail("kind", _("Die Art fehlt. %(hint)s") % {"hint": cols.KIND_HINT})
        elif (kind := cols.KIND_INDEX.get(cols.normalise(value))) is None:
            self.fail("kind", _("Unbekannte Art „%(value)s“. %(hint)s") % {"value": value, "hint": cols.KIND_HINT})
        else:
            row.values["kind"] = kind

    def _region(self, row: OrganisationRow) -> None:
        value = self.get("region")
        if not value:
            self.fail("region", _("Die Region fehlt."))
        elif (region := self.lookups.regions.get(cols.normalise(value))) is None:
            self.fail("region", _("Unbekannte Region „%(value)s“. Regionen werden im Backoffice gepflegt; die "
                                  "Vorlage listet alle bekannten.") % {"value": value})
        else:
            row.values["region_id"] = region[0]

    def _website(self, row: OrganisationRow) -> None:
        value = self.get("website")
        if not value:
            return
        if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
            value = "https://" + value
        row.values["website"] = self.clean(_ORG_FIELDS["website"], "website", value)

    def _size(self, row: OrganisationRow) -> None:
        raw, value = self.raw("size"), self.get("size")
        if not value:
            return
        size = cols.SIZE_INDEX.get(cols.normalise(value))
        if size is None and re.fullmatch(r"\d{1,7}", value) and not (isinstance(raw, str) and "-" in raw):
            size = cols.size_for_headcount(int(value))
        if size is None:
            self.fail("size", _("Unbekannte Größe „%(value)s“. Erlaubt: Zahl der Beschäftigten oder 1, 2-9, 10-49, "
                                "50-249, 250+.") % {"value": value})
        else:
            row.values["size"] = size

    def _founded(self, row: OrganisationRow) -> None:
        raw, value = self.raw("founded"), self.get("founded")
        if not value:
            return
        if isinstance(raw, (datetime.date, datetime.datetime)):
            value = str(raw.year)
        if not re.fullmatch(r"\d{4}", value) or not 1000 <= int(value) <= 2100:
            self.fail("founded", _("Das Gründungsjahr „%(value)s“ ist keine Jahreszahl (z. B. 2015).")
                      % {"value": value})
        else:
            row.values["founded"] = int(value)

    def _topics(self, row: OrganisationRow) -> None:
        value = self.get("topics")
        if not value:
            return
        ids, unknown = [], []
        for part in re.split(r"[;\n|]", value):
            if not part.strip():
                continue
            pk = self.lookups.topics.get(cols.normalise(part))
            if pk is None:
                unknown.append(part.strip())
            elif pk not in ids:
                ids.append(pk)
        if unknown:
            self.fail("topics", _("Unbekannte(s) Thema/Themen: %(topics)s. Mehrere Themen bitte mit „;“ trennen.")
                      % {"topics": ", ".join(f"„{u}“" for u in unknown)})
        row.topic_ids = ids

    def _flags(self, row: OrganisationRow) -> None:
        for name, model_field in (("listed", "listed_in_directory"), ("matching", "open_for_matching")):
            value = self.get(name)
            if not value:
                continue
            word = cols.normalise(value)
            if word in cols.YES:
                row.values[model_field] = True
            elif word in cols.NO:
                row.values[model_field] = False
            else:
                self.fail(name, _("Bitte „ja“ oder „nein“ eintragen (nicht „%(value)s“).") % {"value": value})

    def _contact(self, row: OrganisationRow) -> None:
        data = {part: self.get(f"contact_{part}") for part in ("name", "email", "phone", "position")}
        if not any(data.values()):
            return
        if not data["name"]:
            self.fail("contact_name", _("Die Ansprechperson fehlt, obwohl Kontaktdaten angegeben sind."))
            return
        for part, value in data.items():
            if value:
                data[part] = self.clean(_PERSON_FIELDS[part], f"contact_{part}", value) or ""
        data["email"] = data["email"].lower()
        row.contact = Contact(**data)

    def _statements(self, kind: str, numbers: list[int]) -> list[Statement] | None:
        items = []
        for number in numbers:
            title, description = self.get(f"{kind}_{number}_title"), self.get(f"{kind}_{number}_description")
            if not title and not description:
                continue
            if not title:
                self.fail(f"{kind}_{number}_description" if f"{kind}_{number}_title" not in self.positions
                          else f"{kind}_{number}_title", _("Der Titel fehlt, obwohl eine Beschreibung angegeben ist."))
                continue
            self.clean(_STATEMENT_FIELDS["title"], f"{kind}_{number}_title", title)
            if description:
                self.clean(_STATEMENT_FIELDS["description"], f"{kind}_{number}_description", description)
            items.append(Statement(title=title, description=description))
        return items or None
