"""Writing a validated import plan: all rows or none, in bulk, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone

from matchwerk.core.audit import log_event
from matchwerk.profiles.rules import can_import_organisations, import_rows_outside_scope
from matchwerk.profiles.importing.validation import ImportPlan, OrganisationRow
from matchwerk.profiles.models import Need, Offer, Organisation, Person
from matchwerk.profiles.signals import announce_changed

BATCH = 500


@dataclass
class ImportResult:
    created: int
    updated: int


def _chunks(items: list, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def organisations_import(*, actor, plan: ImportPlan, source: str = "") -> ImportResult:
    """Create or update every organisation of ``plan`` (matched by key); nothing is written
    unless every row is written. ``plan`` must come from ``build_plan`` without problems."""
    if not plan.ok:
        raise ValueError("An import plan with problems must not be applied.")
    # actor None: the operator's command line (``matchwerk import_organisations``).
    if actor is not None and (not can_import_organisations.test(actor) or import_rows_outside_scope(actor, plan)):
        raise PermissionDenied("The actor may not import these rows.")
    now = timezone.now()
    with transaction.atomic():
        organisations = _write_organisations(plan.rows, now)
        _write_topics(plan.rows, organisations)
        _write_contacts(plan.rows, organisations)
        _write_statements(plan.rows, organisations, Need, "needs", now)
        _write_statements(plan.rows, organisations, Offer, "offers", now)
        result = ImportResult(created=plan.created, updated=plan.updated)
        _announce_change(organisations)
        log_event("matchwerk.profiles.organisations.imported", None,
                  {"source": source, "created": result.created, "updated": result.updated}, actor=actor)
    return result


def _update_changed(model, changes: list[tuple[object, dict]], now=None) -> int:
    """Write only the values that differ from the loaded instances.

    Django's ``bulk_update`` builds one CASE expression per object and field, which takes
    minutes for 10,000 rows. Instead, values shared by many rows (kind, region, flags) are
    written with one ``UPDATE … WHERE pk IN (…)`` per distinct value, and text columns with
    many distinct values (names, descriptions) with ``UPDATE … FROM (VALUES …)`` in chunks.
    Re-importing an unchanged file therefore writes nothing. Returns the number of
    changed instances.
    """
    per_field: dict[str, dict[int, object]] = {}
    touched: list[int] = []
    for instance, values in changes:
        changed = False
        for name, value in values.items():
            if getattr(instance, name) != value:
                setattr(instance, name, value)
                per_field.setdefault(name, {})[instance.pk] = value
                changed = True
        if changed:
            touched.append(instance.pk)
    manager = model._base_manager
    for name, by_pk in per_field.items():
        model_field = model._meta.get_field(name)
        distinct = set(by_pk.values())
        if isinstance(model_field, (models.CharField, models.TextField)) and len(distinct) > 50:
            _update_text_column(model, model_field.column, by_pk)
            continue
        for value in distinct:
            pks = [pk for pk, v in by_pk.items() if v == value]
            for chunk in _chunks(pks):
                manager.filter(pk__in=chunk).update(**{name: value})
    if now is not None:
        for chunk in _chunks(touched):
            manager.filter(pk__in=chunk).update(updated_at=now)
    return len(touched)


def _update_text_column(model, column: str, by_pk: dict[int, str]) -> None:
    """One statement per 400 rows; works on PostgreSQL and SQLite (3.33+) alike."""
    quote = connection.ops.quote_name
    table, pk_column = quote(model._meta.db_table), quote(model._meta.pk.column)
    items = list(by_pk.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 400):
            chunk = items[start:start + 400]
            rows = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {quote(column)} = v.column2 FROM (VALUES {rows}) AS v "  # noqa: S608
                f"WHERE {table}.{pk_column} = CAST(v.column1 AS INTEGER)",
                [value for pair in chunk for value in pair])


def _announce_change(organisations: dict[str, Organisation]) -> None:
    """Tell matching which profiles the import wrote (one event; matching queues one
    refresh after the commit)."""
    announce_changed(ids=[o.pk for o in organisations.values()])


def _write_organisations(rows: list[OrganisationRow], now) -> dict[str, Organisation]:
    existing: dict[str, Organisation] = {}
    for keys in _chunks([r.key for r in rows if r.existing_id]):
        existing.update({o.key: o for o in Organisation.objects.select_for_update().filter(key__in=keys)})
    new, changes = [], []
    for row in rows:
        organisation = existing.get(row.key)
        if organisation is None:
            organisation = Organisation(key=row.key, created_at=now, updated_at=now, **row.values)
            # The row checker validated every value (and resolved the region); this model
            # check guards the remaining field rules without a query per row.
            organisation.full_clean(exclude=["region", "key", "logo"], validate_unique=False,
                                    validate_constraints=False)
            new.append(organisation)
        else:
            changes.append((organisation, row.values))
    Organisation.objects.bulk_create(new, batch_size=BATCH)
    _update_changed(Organisation, changes, now)
    result: dict[str, Organisation] = {}
    for keys in _chunks([r.key for r in rows]):
        result.update({o.key: o for o in Organisation.objects.filter(key__in=keys).only("pk", "key")})
    return result


def _write_topics(rows, organisations) -> None:
    through = Organisation.topics.through
    rows = [r for r in rows if r.topic_ids is not None]
    ids = [organisations[r.key].pk for r in rows]
    for chunk in _chunks(ids):
        through.objects.filter(organisation_id__in=chunk).delete()
    through.objects.bulk_create(
        [through(organisation_id=organisations[r.key].pk, topic_id=t) for r in rows for t in r.topic_ids],
        batch_size=BATCH)


def _write_contacts(rows, organisations) -> None:
    rows = [r for r in rows if r.contact is not None]
    people: dict[int, list[Person]] = {}
    for chunk in _chunks([organisations[r.key].pk for r in rows]):
        for person in Person.objects.filter(organisation_id__in=chunk):
            people.setdefault(person.organisation_id, []).append(person)
    new, changes = [], []
    for row in rows:
        organisation_id, contact = organisations[row.key].pk, row.contact
        values = {"name": contact.name, "is_contact": True}
        values.update({part: getattr(contact, part) for part in ("email", "phone", "position")
                       if getattr(contact, part)})
        person = _find_person(people.get(organisation_id, []), contact)
        if person is None:
            new.append(Person(organisation_id=organisation_id, can_edit=False, **values))
        else:
            changes.append((person, values))
    Person.objects.bulk_create(new, batch_size=BATCH)
    _update_changed(Person, changes)


def _find_person(candidates: list[Person], contact) -> Person | None:
    """The same person: same e-mail address, or (without one) the same name."""
    if contact.email:
        return next((p for p in candidates if p.email.lower() == contact.email), None)
    return next((p for p in candidates if p.name.strip().lower() == contact.name.lower()), None)


def _write_statements(rows, organisations, model, attribute: str, now) -> None:
    """Rows with needs (offers) replace the organisation's needs (offers); an entry with the
    same title is kept and updated so that it keeps its identity."""
    rows = [r for r in rows if getattr(r, attribute) is not None]
    current: dict[int, list] = {}
    for chunk in _chunks([organisations[r.key].pk for r in rows]):
        for item in model.objects.filter(organisation_id__in=chunk):
            current.setdefault(item.organisation_id, []).append(item)
    new, changes, gone = [], [], []
    for row in rows:
        organisation_id = organisations[row.key].pk
        by_title = {}
        for item in current.get(organisation_id, []):
            by_title.setdefault(item.title.strip().lower(), item)
        kept = set()
        for statement in getattr(row, attribute):
            item = by_title.get(statement.title.strip().lower())
            if item is not None and item.pk not in kept:
                kept.add(item.pk)
                values = {"title": statement.title}
                if statement.description:
                    values["description"] = statement.description
                changes.append((item, values))
            else:
                new.append(model(organisation_id=organisation_id, title=statement.title,
                                 description=statement.description, created_at=now, updated_at=now))
        gone += [item.pk for item in current.get(organisation_id, []) if item.pk not in kept]
    for chunk in _chunks(gone):
        model.objects.filter(pk__in=chunk).delete()
    model.objects.bulk_create(new, batch_size=BATCH)
    _update_changed(model, changes, now)
