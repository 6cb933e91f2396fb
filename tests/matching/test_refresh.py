"""Explicit change events, one pending refresh, stored embeddings, and the incremental
update of the stored suggestions (equal to recomputing every list on the same data)."""

import random

import pytest
from django.urls import reverse
from factories import make_need, make_offer, make_organisation, make_region, make_user

from matchwerk.accounts.enums import Role
from matchwerk.matching import engine_adapter, recompute, services, tasks
from matchwerk.matching.models import ProfileChange, RecomputeState, Suggestion, TextEmbedding
from matchwerk.programmes.models import Programme
from matchwerk.profiles import services as profile_services

WORDS = ("Buchung Kalender Fotografie Marke Logistik Sensorik Förderung Verwaltung Bürgerportal Tourismus "
         "Radtouren Webshop Datenanalyse Energie Heizung Holzbau Design Video Übersetzung Schulung Robotik "
         "Pflege App Karte Messe Veranstaltung Druck Verpackung Recycling Wasser").split()
KINDS = ("sme", "startup", "creative", "public", "research")


def _text(rng):
    return " ".join(rng.sample(WORDS, 4))


@pytest.fixture
def town(db):
    """48 organisations with generated needs and offers: lists are full, so an edit of
    one organisation touches some lists and not others."""
    rng = random.Random(11)
    regions = [make_region() for _ in range(3)]
    organisations = []
    for n in range(48):
        organisation = make_organisation(kind=KINDS[n % len(KINDS)], region=regions[n % 3], name=f"Org {n:02d}")
        make_need(organisation, title=_text(rng), description=_text(rng))
        make_offer(organisation, title=_text(rng), description=_text(rng))
        make_offer(organisation, title=_text(rng), description=_text(rng))
        organisations.append(organisation)
    return organisations


def _snapshot():
    return {(s.organisation_id, s.partner_id): (s.score, s.rank, s.reasons, s.status, s.is_stale, s.computed_at)
            for s in Suggestion.objects.all()}


def _without_time(snapshot, words=list):
    return {key: (score, rank, [{**code, "words": words(code.get("words", ()))} for code in reasons], *rest[:-1])
            for key, (score, rank, reasons, *rest) in snapshot.items()}


def test_an_edit_changes_only_the_affected_lists_and_equals_a_full_recompute(
        town, django_capture_on_commit_callbacks):
    programme = recompute.programme_default()
    recompute.suggestions_recompute(programme=programme)
    before = _snapshot()
    embedded = TextEmbedding.objects.count()
    assert embedded >= 48 * 3  # every text embedded once, stored
    edited = town[7]
    need = edited.needs.get()
    with django_capture_on_commit_callbacks(execute=True):  # the refresh task runs after the commit
        profile_services.need_update(actor=None, need=need, title="Fotografie Marke Design Video",
                                     description="Wir suchen einen Imagefilm und neue Fotos.")
    assert TextEmbedding.objects.count() == embedded + 1  # only the changed text was encoded
    after = _snapshot()
    changed_lists = {key[0] for key in set(before) ^ set(after)} | {
        key[0] for key in set(before) & set(after) if before[key] != after[key]}
    assert edited.pk in changed_lists
    untouched = {o.pk for o in town} - changed_lists
    assert untouched, "the edit should not touch every list"
    for key, value in after.items():
        if key[0] in untouched:
            assert before[key] == value  # not even rewritten (same computed_at)
    assert not any(value[4] for value in after.values())  # nothing left stale
    # The same index, every list recomputed: exactly what the incremental path stored.
    recompute.suggestions_recompute(programme=programme, rebuild=False)
    # (Shared words are named rarest first by the live document frequencies, which an
    # edit moves slightly: their order in untouched lists may differ, not the words.)
    assert _without_time(_snapshot(), words=set) == _without_time(after, words=set)


def test_a_full_computation_deletes_the_embeddings_nobody_uses_any_more(
        town, django_capture_on_commit_callbacks):
    """The old text of an edited need, a deleted organisation's texts and vectors of
    another encoder (e.g. the float32 engine's before the onnx-sq8 default) are not kept:
    the next full computation deletes them and keeps every vector still in use."""
    programme = recompute.programme_default()
    recompute.suggestions_recompute(programme=programme)
    embedded = set(TextEmbedding.objects.values_list("key", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.need_update(actor=None, need=town[7].needs.get(), title="Fotografie Marke Design Video",
                                     description="Wir suchen einen Imagefilm und neue Fotos.")
        profile_services.organisation_delete(actor=make_user(role=Role.ADMIN), organisation=town[8])
    TextEmbedding.objects.create(key="f" * 40, vector=b"\0" * 16)  # another encoder's vector
    grown = set(TextEmbedding.objects.values_list("key", flat=True))
    assert len(grown) == len(embedded) + 2
    recompute.suggestions_recompute(programme=programme)
    before = _snapshot()
    kept = set(TextEmbedding.objects.values_list("key", flat=True))
    assert kept < grown and "f" * 40 not in kept
    assert len(grown - kept) >= 1 + 1 + 3  # the foreign row, the old need text, the deleted organisation's texts
    assert grown - embedded - {"f" * 40} <= kept  # the edited need's new text stays
    # What is left is exactly what the index uses: a second full computation deletes and
    # encodes nothing, and stores the same lists.
    recompute.suggestions_recompute(programme=programme)
    assert set(TextEmbedding.objects.values_list("key", flat=True)) == kept
    assert _without_time(_snapshot(), words=set) == _without_time(before, words=set)


def test_profile_services_announce_changes_and_one_refresh_is_pending(town, settings,
                                                                     django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.need_update(actor=None, need=town[0].needs.get(), title="Neuer Bedarf", description="")
        profile_services.offer_create(actor=None, organisation=town[1], title="Neues Angebot")
        profile_services.offer_delete(actor=None, offer=town[2].offers.first())
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.need_update(actor=None, need=town[3].needs.get(), title="Noch ein Bedarf", description="")
    queued = [result.task_path for result in DBTaskResult.objects.all()]
    assert queued == ["matchwerk.matching.tasks.refresh_suggestions"]  # merged into one pending refresh
    assert RecomputeState.objects.get().pending
    assert sorted(ProfileChange.objects.values_list("organisation_id", flat=True)) == sorted(
        [town[0].pk, town[1].pk, town[2].pk, town[3].pk])
    assert not Suggestion.objects.exists()  # nothing computed in the request
    # The worker starts it: the mark is cleared first, so the next change queues again.
    tasks.refresh_suggestions.call()
    assert not RecomputeState.objects.get().pending
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.need_update(actor=None, need=town[4].needs.get(), title="Später", description="")
    assert DBTaskResult.objects.count() == 2


def test_saving_a_model_alone_announces_nothing(db):
    make_organisation(name="Ohne Dienst GmbH")
    assert not ProfileChange.objects.exists() and not RecomputeState.objects.exists()


def test_withdrawn_consent_empties_the_list(town, django_capture_on_commit_callbacks):
    from matchwerk.privacy.services import consent_record

    programme = recompute.programme_default()
    recompute.suggestions_recompute(programme=programme)
    leaving = town[5]
    assert Suggestion.objects.filter(partner=leaving).exists()
    with django_capture_on_commit_callbacks(execute=True):
        consent_record(user=make_user(), purpose="matching", granted=False, organisation=leaving)
    assert not Suggestion.objects.filter(organisation=leaving).exists()
    assert not Suggestion.objects.filter(partner=leaving).exists()
    # lists that named it were filled up again
    assert Suggestion.objects.filter(organisation=town[0]).count() == recompute.SUGGESTIONS_PER_ORGANISATION


def test_reading_the_queue_writes_nothing(client, db, django_assert_max_num_queries):
    client.force_login(make_user(role=Role.MATCHING_TEAM))
    response = client.get(reverse("matching:queue"))
    assert response.status_code == 200
    assert not Programme.objects.exists()


def test_index_cache_follows_the_database(town):
    loaded, changed = engine_adapter.current_index()
    assert changed == {o.pk for o in town}
    again, changed = engine_adapter.current_index()
    assert again is loaded and changed == set()
    engine_adapter.forget_index()
    assert engine_adapter.current_index()[0] is not loaded
    services.organisation_changed(organisation_id=town[0].pk)
    assert engine_adapter.current_index()[1] == {town[0].pk}


def test_tasks_without_a_programme_create_none_and_say_so(town, caplog, django_capture_on_commit_callbacks):
    """No programme exists: neither the full recompute nor the refresh after a change
    creates one (programmes are made by the administration); the log says why nothing
    was computed."""
    with caplog.at_level("INFO", logger="matchwerk.matching.tasks"):
        assert tasks.recompute_suggestions.call() == 0
        with django_capture_on_commit_callbacks(execute=True):  # the refresh runs at once in tests
            profile_services.need_update(actor=None, need=town[0].needs.get(), title="Neu", description="")
        assert tasks.refresh_suggestions.call() == 0
    assert not Programme.objects.exists() and not Suggestion.objects.exists()
    assert sum("no active programme exists" in record.getMessage() for record in caplog.records) == 3
    assert "programmes are created by the administration" in caplog.text
    # An inactive programme is not a reason to create the default one either.
    Programme.objects.create(slug="ruht", name="Ruht", is_active=False)
    assert tasks.recompute_suggestions.call() == 0
    assert list(Programme.objects.values_list("slug", flat=True)) == ["ruht"]
