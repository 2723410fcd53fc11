"""#17.4 through the API: an admin uploads a qualification and it is served at once; a broken file is
refused whole with its own message and the catalogue served before is still served."""
from __future__ import annotations

import json

import pytest
from openpyxl import Workbook, load_workbook

from bot.records import audit
from catalogue import spreadsheet
from catalogue.interchange import from_dict
from tests.api.conftest import World
from tests.catalogue import invented

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(world: World, body: bytes, role: str = "admin", filename: str = "nwa.json"):
    kind = XLSX if body[:2] == b"PK" else "application/json"
    return world.call(role, "POST", f"/api/catalogue/imports?filename={filename}", content=body,
                      headers={"Content-Type": kind})


def ids(world: World) -> list[str]:
    return [q["id"] for q in world.call("learner", "GET", "/api/qualifications").json()]


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("learner", 403), ("assessor", 403)])
def test_only_an_admin_imports(world, role, status):
    response = upload(world, invented.text(), role=role)
    assert response.status_code == status
    assert invented.ID not in ids(world)


def test_an_imported_qualification_is_served_at_once_and_audited(world):
    before = ids(world)
    response = upload(world, invented.text())
    assert response.status_code == 201, response.text
    assert response.json() == {"source_id": invented.ID, "version": 1, "units": 4, "criteria": 8, "changed": True}
    assert ids(world) == before + [invented.ID]
    q = world.call("learner", "GET", f"/api/qualifications/{invented.ID}").json()
    assert q["title"] == invented.TITLE and q["credits"] == 12
    assert [g["units"] for g in q["rules"]["groups"]] == [["T/650/1001", "T/650/1002"], ["T/650/1003", "T/650/1004"]]
    ref, number, text = invented.CRITERION
    criteria = world.call("learner", "GET", f"/api/units/{ref}/criteria").json()[0]["criteria"]
    assert {"ref": number, "text": text} in [{"ref": c["ref"], "text": c["text"]} for c in criteria]
    with world.session() as s:
        (entry,) = audit.entries(s, entity="catalogue", action="import")
        assert (entry.actor_id, entry.entity_id, entry.detail["version"], entry.detail["units"]) == \
            (world.ids["admin"], invented.ID, 1, 4)
    listed = world.call("admin", "GET", "/api/catalogue/imports").json()
    assert [(v["source_id"], v["version"], v["filename"]) for v in listed] == [(invented.ID, 1, "nwa.json")]


def test_a_learner_enrols_and_progress_counts_on_the_imported_qualification(world):
    assert upload(world, invented.text()).status_code == 201
    enrolment = world.call("admin", "POST", "/api/enrolments", json={
        "learner_id": world.ids["learner"], "source_id": invented.ID, "assessor_id": world.ids["assessor"]})
    assert enrolment.status_code == 201, enrolment.text


def test_the_same_file_again_adds_nothing(world):
    assert upload(world, invented.text()).status_code == 201
    again = upload(world, invented.text())
    assert again.status_code == 200 and again.json()["changed"] is False and again.json()["version"] == 1
    assert len(world.call("admin", "GET", "/api/catalogue/imports").json()) == 1


def test_a_new_version_is_served_and_the_old_one_kept(world):
    assert upload(world, invented.text()).status_code == 201
    newer = invented.changed(invented.document(), credits=13, glh="95")
    response = upload(world, invented.text(newer))
    assert response.status_code == 201 and response.json()["version"] == 2
    assert world.call("learner", "GET", f"/api/qualifications/{invented.ID}").json()["credits"] == 13
    versions = world.call("admin", "GET", f"/api/catalogue/imports?source_id={invented.ID}").json()
    assert [v["version"] for v in versions] == [1, 2]
    from bot.records import catalogue as catalogues

    with world.session() as s:
        assert catalogues.version_document(s, invented.ID, 1).qualification.credits == 12
        assert catalogues.version_document(s, invented.ID, 2).qualification.credits == 13


def test_replacing_a_seed_keeps_existing_enrolments(world):
    """The world's learners are enrolled on habc-l3; a new version of it changes no record."""
    from bot.records.models import Enrolment
    from sqlalchemy import select

    with world.session() as s:
        before = [(e.id, e.learner_id, e.source_id, e.assessor_id) for e in s.scalars(select(Enrolment))]
    habc = json.loads(world.call("admin", "GET", "/api/qualifications/habc-l3").text)
    assert habc["credits"] == 55
    from bot.records import catalogue as catalogues
    from catalogue.interchange import to_dict

    doc = to_dict(catalogues.current(world.url).source("habc-l3"))
    doc["qualification"]["grading"] = "Pass only (new version)"
    assert upload(world, invented.text(doc), filename="habc.json").status_code == 201
    assert world.call("learner", "GET", "/api/qualifications/habc-l3").json()["grading"] == "Pass only (new version)"
    with world.session() as s:
        after = [(e.id, e.learner_id, e.source_id, e.assessor_id) for e in s.scalars(select(Enrolment))]
    assert after == before
    progress = world.call("learner", "GET", f"/api/learners/{world.ids['learner']}/progress")
    assert progress.status_code == 200, progress.text


# --- broken files: each refused whole with its own message; the catalogue served before still served


def _broken(change) -> bytes:
    doc = invented.document()
    change(doc)
    return invented.text(doc)


BROKEN = {
    "wrong type": (lambda d: d["units"][2].update(credits="three"), "units/2/credits: 'three' is not of type"),
    "missing field": (lambda d: d["units"][1].pop("title"), "units/1: 'title' is missing"),
    "duplicate reference": (lambda d: d["units"][3].update(ref="T/650/1001"),
                            "units/3/ref: unit T/650/1001 appears twice (also units/0)"),
    "group minimum above maximum": (lambda d: d["qualification"]["rules"]["groups"][1].update(min_units=3, max_units=1),
                                    "qualification/rules/groups/1/min_units: group B: min_units 3 is above max_units 1"),
    "criterion with no outcome": (lambda d: d["units"][0]["knowledge"].append(
        {"ref": "9.9", "text": "A stray criterion", "kind": "ac", "line": 1, "guidance": None}),
        "units/0/knowledge/0: criterion 9.9 of unit T/650/1001 has no outcome"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_file_is_refused_whole_and_the_catalogue_kept(world, case):
    assert upload(world, invented.text()).status_code == 201  # version 1 is served
    change, message = BROKEN[case]
    newer = _broken(lambda d: (d["qualification"].update(credits=99), change(d)))
    response = upload(world, newer, filename="broken.json")
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail.startswith("broken.json: refused, nothing imported: ") and message in detail, detail
    assert world.call("learner", "GET", f"/api/qualifications/{invented.ID}").json()["credits"] == 12
    assert len(world.call("admin", "GET", "/api/catalogue/imports").json()) == 1


def test_a_fifty_megabyte_file_is_refused_unread(world):
    before = ids(world)
    big = b'{"format": "cs-assistant-catalogue", "pad": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    response = upload(world, big, filename="big.json")
    assert response.status_code == 413
    assert response.json()["detail"] == "The file is 52.4 MB; a catalogue document is at most 10 MB. Nothing was imported."
    assert ids(world) == before


@pytest.mark.parametrize("body, message", [
    (b"", "The upload is empty"),
    (b"{units: [", "not JSON"),
    (b"PK\x03\x04 not really a workbook", "not an .xlsx workbook"),
])
def test_unreadable_uploads(world, body, message):
    response = upload(world, body)
    assert response.status_code == 422 and message in response.json()["detail"], response.text


def _workbook(tmp_path, damage) -> bytes:
    path = tmp_path / "nwa.xlsx"
    spreadsheet.write(from_dict(invented.document()), path)
    wb = load_workbook(path)
    damage(wb)
    wb.save(path)
    return path.read_bytes()


def test_a_spreadsheet_imports_like_the_json(world, tmp_path):
    response = upload(world, _workbook(tmp_path, lambda wb: None), filename="nwa.xlsx")
    assert response.status_code == 201, response.text
    assert invented.ID in ids(world)


@pytest.mark.parametrize("damage, message", [
    (lambda wb: wb["Units"].merge_cells("C2:D2"), "sheet Units: (document): merged cells (C2:D2)"),
    (lambda wb: wb["Units"].cell(row=9, column=1, value="a stray note"), "sheet Units, row 9"),
    (lambda wb: wb["Units"].cell(row=3, column=5, value="three"), "sheet Units, row 3, column E"),
])
def test_a_damaged_spreadsheet_is_refused_naming_sheet_row_and_column(world, tmp_path, damage, message):
    response = upload(world, _workbook(tmp_path, damage), filename="nwa.xlsx")
    assert response.status_code == 422, response.text
    assert message in response.json()["detail"], response.json()["detail"]
    assert invented.ID not in ids(world)
