"""``matchwerk rank``: the format of FORMATS.md and its input errors."""

import json
import subprocess
import sys

import pytest

from matchwerk.engine import rank
from matchwerk.engine.inputs import InputError


def org(id, kind="sme", **extra):
    return {"id": id, "kind": kind, "name": f"Organisation {id}", **extra}


def small_input():
    return {
        "organisations": [
            org("o1", "sme", region="Meißen", topics=["Tourismus", "Digitalisierung"],
                needs=["Wir beantworten jede Buchungsanfrage per Telefon und E-Mail."],
                offers=["Geführte Radtouren im Elbtal"]),
            org("o7", "startup", region="Dresden", topics=["Digitalisierung"],
                offers=["Online-Buchungssysteme mit Kalender und Zahlung für kleine Anbieter"]),
            org("o8", "creative", region="Leipzig", offers=["Imagefilme und Fotos für Tourismus"]),
            org("o9", "sme", region="Dresden", offers=["Online-Buchung für Hotels"]),  # same kind as o1
        ],
        "queries": ["o1"],
        "top": 10,
    }


def test_rank_output_follows_the_format():
    result = rank.run(small_input())
    assert list(result) == ["rankings"]
    ranking = result["rankings"]["o1"]
    assert [entry["id"] for entry in ranking][0] == "o7"
    for entry in ranking:
        assert set(entry) == {"id", "score", "reasons"}
        assert 0.0 <= entry["score"] <= 1.0
        assert entry["reasons"] and all(isinstance(r, str) and r for r in entry["reasons"])
    assert "o1" not in [e["id"] for e in ranking]
    assert "o9" not in [e["id"] for e in ranking]  # sme × sme is not a cross-innovation pair


def test_rank_reasons_name_need_offer_topics_and_distance():
    reasons = rank.run(small_input())["rankings"]["o1"][0]["reasons"]
    assert reasons[0].startswith("Bedarf „Wir beantworten jede Buchungsanfrage")
    assert "↔ Angebot „Online-Buchungssysteme" in reasons[0]
    assert "gemeinsame Themen: Digitalisierung" in reasons
    assert any(r.startswith("Entfernung ca. ") and r.endswith(" km") for r in reasons)


def test_rank_default_queries_are_organisations_with_needs():
    data = small_input()
    del data["queries"]
    assert list(rank.run(data)["rankings"]) == ["o1"]


def test_rank_top_limits_the_list():
    data = small_input()
    data["top"] = 1
    assert len(rank.run(data)["rankings"]["o1"]) == 1


def test_rank_open_programme_and_exclusions():
    data = small_input()
    data["programme"] = "open"
    ids = [e["id"] for e in rank.run(data)["rankings"]["o1"]]
    assert "o9" in ids
    data["exclude"] = [["o7", "o1"]]
    ids = [e["id"] for e in rank.run(data)["rankings"]["o1"]]
    assert "o7" not in ids and "o9" in ids


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("organisations"), "organisations: missing"),
    (lambda d: d["organisations"].append(org("o1")), "duplicate id 'o1'"),
    (lambda d: d["organisations"][0].update(kind="verein"), "organisations[0].kind"),
    (lambda d: d["organisations"][0].pop("id"), "organisations[0].id: missing"),
    (lambda d: d["organisations"][1].update(needs="nur ein Text"), "organisations[1].needs"),
    (lambda d: d["organisations"][1].update(offers=[3]), "organisations[1].offers[0]"),
    (lambda d: d.update(queries=["o404"]), "queries[0]: unknown organisation 'o404'"),
    (lambda d: d.update(top=0), "top: must be at least 1"),
    (lambda d: d.update(top="10"), "top: expected an integer"),
    (lambda d: d.update(exclude=[["o1", "nope"]]), "exclude[0][1]: unknown organisation 'nope'"),
    (lambda d: d.update(programme="Wunschkonzert"), "programme: expected one of"),
])
def test_rank_rejects_malformed_input(change, message):
    data = small_input()
    change(data)
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        rank.run(data)


def test_rank_cli_error_goes_to_stderr_with_exit_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"organisations": [org("a", "alien")]}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "matchwerk", "rank", str(path)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: organisations[0].kind") and done.stderr.count("\n") == 1
