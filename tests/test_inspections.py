"""Inspections as records: what each Ofsted report prints about its inspection, read back from its text."""
import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.inspection_view import inspection_timeline
from conftest import CORPUS, SHARED, needs_shared
from ingest.inspections import Inspection, Judgement, read_inspection
from ingest.manifest import ManifestEntry
from ingest.readers import parse_bytes
from ingest.records import Page

# A fictional report in the ILACS layout: a wrapped table, a heading run onto the last point.
_FICTIONAL = (Page(1, "Inspection of Eastbridge County Council\n\nchildren’s services\n\n"
                      "Inspection dates: 28 February to 10 March 2023\n\n"
                      "Lead inspector: Jo Fenwick, His Majesty’s Inspector Judgement Grade\n\n"
                      "The impact of leaders on social work\n\npractice with children and families\n\nGood\n\n"
                      "The experiences and progress of care\n\nleavers\n\nRequires improvement\n\nto be good\n\n"
                      "Overall effectiveness Good\n\nServices in Eastbridge are good. What needs to improve?1\n\n"
                      "• Plans for care leavers.\n\n"
                      "• Visits to children placed out of the county. The experiences and progress of children "
                      "who need help and protection: good\n\n1. Children are seen."),)


def test_a_fictional_report_reads_as_its_text_says():
    assert read_inspection(_FICTIONAL) == Inspection(
        council="Eastbridge County Council", first_day="2023-02-28", last_day="2023-03-10", type="full inspection",
        lead_inspector="Jo Fenwick",
        judgements=(Judgement("The impact of leaders on social work practice with children and families", "good"),
                    Judgement("The experiences and progress of care leavers", "requires improvement to be good"),
                    Judgement("Overall effectiveness", "good")),
        overall="good", improvements=("Plans for care leavers.", "Visits to children placed out of the county."))


def test_a_report_without_an_overall_row_has_no_overall_grade():
    page = Page(1, _FICTIONAL[0].text.replace("Overall effectiveness Good\n\n", ""))
    assert read_inspection((page,)).overall is None


def test_an_old_framework_report_gives_its_headline_and_numbered_recommendations():
    pages = (Page(1, "Eastbridge County Council\n\nRe-inspection of services for children in need of help and "
                     "protection, children looked after and care leavers Inspection date: 6 March 2017 to "
                     "30 March 2017 Report published: 13 June 2017\n\nChildren’s services in Eastbridge require "
                     "improvement to be good\n\n1. Children who need help and protection Inadequate\n\n"
                     "2.1 Adoption performance Requires Improvement"),
             Page(2, "Recommendations\n\n1. Ensure plans are reviewed.\n\n\uf02d with the police\n\n"
                     "2. Improve the\n\nquality of visits.\n\nSummary for children and young people\n\n"
                     "Lead inspector: Jo Fenwick HMI"))
    found = read_inspection(pages)
    assert (found.type, found.first_day, found.last_day, found.overall, found.lead_inspector) == \
        ("SIF inspection", "2017-03-06", "2017-03-30", "requires improvement to be good", "Jo Fenwick")
    assert [j.grade for j in found.judgements] == ["requires improvement to be good", "inadequate",
                                                    "requires improvement to be good"]
    assert found.improvements == ("Ensure plans are reviewed. \uf02d with the police", "Improve the quality of visits.")


RI = "requires improvement to be good"
# What each report prints on its first page (overall judgement, inspection dates) and how many points its
# "What needs to improve?" (a SIF report: "Recommendations") lists, read from the reports by hand.
REPORTS = [
    ("dev/ofsted/ofsted_ilacs_birmingham_2023-04-18.pdf", "good", "2023-02-20", "2023-03-03", 4),
    ("dev/ofsted/ofsted_ilacs_camden_2022-06-21.pdf", "outstanding", "2022-04-25", "2022-04-29", 2),
    ("dev/ofsted/ofsted_ilacs_cumberland_2024-11-26.pdf", "good", "2024-10-07", "2024-10-18", 4),
    ("dev/ofsted/ofsted_ilacs_harrow_2025-03-04.pdf", "inadequate", "2025-01-20", "2025-01-24", 8),
    ("dev/ofsted/ofsted_ilacs_havering_2024-02-16.pdf", "inadequate", "2023-12-11", "2023-12-22", 6),
    ("dev/ofsted/ofsted_ilacs_herefordshire_2022-09-21.pdf", "inadequate", "2022-07-18", "2022-07-29", 9),
    ("dev/ofsted/ofsted_ilacs_herefordshire_2026-01-12.pdf", "good", "2025-11-10", "2025-11-21", 2),
    ("dev/ofsted/ofsted_ilacs_leeds_2022-05-09.pdf", "outstanding", "2022-02-21", "2022-03-04", 2),
    ("dev/ofsted/ofsted_ilacs_liverpool_2023-05-25.pdf", "inadequate", "2023-03-13", "2023-03-24", 11),
    ("dev/ofsted/ofsted_ilacs_liverpool_2026-07-07.pdf", None, "2026-05-11", "2026-05-22", 4),
    ("dev/ofsted/ofsted_ilacs_manchester_2025-11-11.pdf", "outstanding", "2025-09-22", "2025-10-03", 1),
    ("dev/ofsted/ofsted_ilacs_sefton_2022-05-09.pdf", "inadequate", "2022-02-21", "2022-03-04", 14),
    ("dev/ofsted/ofsted_ilacs_sefton_2025-08-12.pdf", "good", "2025-06-23", "2025-07-04", 5),
    ("dev/ofsted/ofsted_ilacs_surrey_2022-03-09.pdf", RI, "2022-01-17", "2022-01-28", 6),
    ("dev/ofsted/ofsted_ilacs_surrey_2025-05-09.pdf", "good", "2025-03-17", "2025-03-28", 3),
    ("dev/ofsted/ofsted_reinspection_manchester_2017-12-21.pdf", RI, "2017-10-09", "2017-11-02", 12),
    ("dev/ofsted/ofsted_reinspection_surrey_2018-05-16.pdf", "inadequate", "2018-02-26", "2018-03-22", 18),
    ("dev/ofsted/ofsted_sif_camden_2017-11-24.pdf", "good", "2017-09-11", "2017-10-05", 8),
    ("dev2/records/ofsted_ilacs_bournemouth-christchurch-poole_2022-02-11.pdf", "inadequate", "2021-12-06",
     "2021-12-17", 7),
    ("dev2/records/ofsted_ilacs_bournemouth-christchurch-poole_2025-01-29.pdf", "good", "2024-12-02", "2024-12-13", 3),
    ("dev2/records/ofsted_ilacs_bracknell-forest_2022-07-29.pdf", "outstanding", "2022-06-13", "2022-06-17", 2),
    ("dev2/records/ofsted_ilacs_cheshire-east_2024-05-16.pdf", "inadequate", "2024-02-26", "2024-03-08", 7),
    ("dev2/records/ofsted_ilacs_devon_2025-05-13.pdf", "inadequate", "2024-09-30", "2025-01-16", 6),
    ("dev2/records/ofsted_ilacs_dorset_2025-05-09.pdf", "outstanding", "2025-03-17", "2025-03-21", 1),
    ("dev2/records/ofsted_ilacs_essex_2023-08-11.pdf", "outstanding", "2023-06-26", "2023-06-30", 1),
    ("dev2/records/ofsted_ilacs_kent_2022-07-05.pdf", "outstanding", "2022-05-09", "2022-05-20", 3),
    ("dev2/records/ofsted_ilacs_kent_2026-02-02.pdf", "good", "2025-11-03", "2025-11-07", 3),
    ("dev2/records/ofsted_ilacs_medway_2023-09-11.pdf", "good", "2023-07-17", "2023-07-28", 4),
    ("dev2/records/ofsted_ilacs_norfolk_2023-01-13.pdf", "good", "2022-11-07", "2022-11-18", 3),
    ("dev2/records/ofsted_ilacs_norfolk_2026-05-18.pdf", "outstanding", "2026-02-23", "2026-02-27", 1),
    ("dev2/records/ofsted_ilacs_oxfordshire_2024-04-09.pdf", "good", "2024-02-12", "2024-02-23", 4),
    ("dev2/records/ofsted_ilacs_rotherham_2022-08-12.pdf", "good", "2022-06-27", "2022-07-01", 4),
    ("dev2/records/ofsted_ilacs_rotherham_2025-12-16.pdf", "outstanding", "2025-11-03", "2025-11-07", 2),
    ("dev2/records/ofsted_ilacs_rutland_2020-04-15.pdf", RI, "2020-03-02", "2020-03-13", 7),
    ("dev2/records/ofsted_ilacs_rutland_2024-07-12.pdf", "good", "2024-04-15", "2024-04-26", 3),
    ("dev2/records/ofsted_ilacs_sandwell_2025-12-02.pdf", "good", "2025-10-13", "2025-10-24", 4),
    ("dev2/records/ofsted_ilacs_slough_2023-03-17.pdf", RI, "2023-01-23", "2023-02-03", 7),
    ("dev2/records/ofsted_ilacs_somerset_2022-09-21.pdf", "good", "2022-07-18", "2022-07-29", 2),
    ("dev2/records/ofsted_ilacs_tameside_2024-02-13.pdf", "inadequate", "2023-12-04", "2023-12-15", 13),
    ("dev2/records/ofsted_ilacs_west-sussex_2019-05-08.pdf", "inadequate", "2019-02-25", "2019-03-08", 12),
    ("dev2/records/ofsted_ilacs_west-sussex_2023-05-11.pdf", RI, "2023-03-13", "2023-03-24", 7),
    ("dev2/records/ofsted_reinspection_norfolk_2018-01-19.pdf", RI, "2017-11-13", "2017-11-24", 7),
    ("dev2/records/ofsted_sif_kent_2017-06-13.pdf", "good", "2017-03-06", "2017-03-30", 10),
]


def _read(path: str) -> Inspection:
    parsed = parse_bytes(path, (SHARED / path).read_bytes())
    return read_inspection(parsed.pages, parsed.running)


@needs_shared
def test_the_table_covers_every_ofsted_report_in_dev_and_dev2():
    on_disk = {str(p.relative_to(SHARED)) for folder in ("dev/ofsted", "dev2/records")
               for p in (SHARED / folder).glob("ofsted_*")}
    assert on_disk == {path for path, *_ in REPORTS}


@needs_shared
@pytest.mark.parametrize("path, overall, first_day, last_day, points", REPORTS, ids=[Path(r[0]).stem for r in REPORTS])
def test_each_report_reads_as_printed(path, overall, first_day, last_day, points):
    found = _read(path)
    assert (found.overall, found.first_day, found.last_day, len(found.improvements)) == \
        (overall, first_day, last_day, points)
    assert found.council and found.type and found.judgements


@needs_shared
def test_judgements_lead_inspector_and_type_of_two_reports():
    liverpool = _read("dev/ofsted/ofsted_ilacs_liverpool_2026-07-07.pdf")  # post-reform: four grades, no overall
    assert [j.grade for j in liverpool.judgements] == ["good", "good", "good", RI]
    assert (liverpool.council, liverpool.lead_inspector) == ("Liverpool City Council", "Teresa Godfrey")
    surrey = _read("dev/ofsted/ofsted_reinspection_surrey_2018-05-16.pdf")
    assert (surrey.type, surrey.lead_inspector, surrey.council) == ("SIF inspection", "Nick Stacey", "Surrey County Council")
    assert surrey.improvements[11].startswith("The local authority should strengthen early planning")


def test_a_focused_visit_letter_gives_its_days_signatory_and_points_past_a_running_header():
    parsed = parse_bytes("letter.pdf", (CORPUS / "eastbridge_ofsted-focused-visit-letter_2024-05-22.pdf").read_bytes())
    found = read_inspection(parsed.pages, parsed.running)
    assert (found.type, found.first_day, found.last_day, found.lead_inspector, found.overall) == \
        ("focused visit", "2024-04-16", "2024-04-17", "Sarah Penhaligon", None)
    assert len(found.improvements) == 4 and found.improvements[-1].startswith("Management oversight")


def test_clerk_inspections_lists_each_council_s_inspections_and_points(fake_store, capsys):
    assert main(["inspections", "--store", str(fake_store)]) == 0
    out = capsys.readouterr().out
    assert "Eastbridge County Council\n  2024-04-16 to 2024-04-17 · focused visit · no overall grade · Sarah Penhaligon" in out
    assert "      4. Management oversight of the support" in out
    assert main(["inspections", "--store", str(fake_store), "--council", "eastbridge", "--json"]) == 0
    (council,) = json.loads(capsys.readouterr().out)["councils"]
    assert council["council"] == "Eastbridge County Council"
    assert [i["last_day"] for i in council["inspections"]] == ["2024-04-17"]
    assert main(["inspections", "--store", str(fake_store), "--council", "Northmoor"]) == 0
    assert capsys.readouterr().out == "No inspection reports found for Northmoor.\n"


def test_the_timeline_puts_each_council_s_newest_inspection_first():
    entry = lambda council, day: ManifestEntry("d", "s", 1, {"inspection": {"council": council, "last_day": day}})  # noqa: E731
    documents = {"a": entry("Kent County Council", "2017-03-30"), "b": entry("Kent County Council", "2025-11-07"),
                 "c": entry("Rutland County Council", "2020-03-13"), "d": ManifestEntry("d", "s", 1, {"kind": "minutes"})}
    timeline = inspection_timeline(documents, ["kent"])
    assert [(c["council"], [i["source"] for i in c["inspections"]]) for c in timeline] == [("Kent County Council", ["b", "a"])]
