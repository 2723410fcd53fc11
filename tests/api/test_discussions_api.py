"""A whole professional discussion over HTTP only: set-up by an admin, recording by the assessor,
sign-off by both, an amendment, and the three exports read back value by value."""
from __future__ import annotations

import csv
import io
import json

from pypdf import PdfReader

from tests.api.conftest import World
from tests.export.test_pdf import flat

CURLY = "I’d say it’s the “whole journey” 😀 – 顧客体験 too"


def admin_setup(world: World) -> tuple[str, str, int]:
    """An assessor and a learner made through the admin endpoints; returns their tokens and the learner id."""
    admin = "admin"
    sam = world.call(admin, "POST", "/api/people", json={"display_name": "Sam Patel", "role": "assessor"}).json()
    kim = world.call(admin, "POST", "/api/people", json={
        "display_name": "Kim Nowak", "identities": [{"channel": "slack", "external_id": "T0CENTRE:U0KIM"}]}).json()
    assert kim["role"] == "learner" and kim["identities"] == [{"channel": "slack", "external_id": "T0CENTRE:U0KIM"}]
    linked = world.call(admin, "POST", f"/api/people/{kim['id']}/identities",
                        json={"channel": "teams", "external_id": "29:kim"}).json()
    assert [i["channel"] for i in linked["identities"]] == ["slack", "teams"]
    enrolment = world.call(admin, "POST", "/api/enrolments",
                           json={"learner_id": kim["id"], "source_id": "habc-l3", "assessor_id": sam["id"]})
    assert enrolment.status_code == 201 and enrolment.json()["assessor_id"] == sam["id"]
    tokens = [world.call(admin, "POST", f"/api/people/{p['id']}/tokens").json()["token"] for p in (sam, kim)]
    return tokens[0], tokens[1], kim["id"]


def test_full_discussion_over_http(world):
    sam_token, kim_token, kim_id = admin_setup(world)
    world.tokens["sam"], world.tokens["kim"] = sam_token, kim_token
    assert world.call("sam", "GET", "/api/me").json()["display_name"] == "Sam Patel"

    started = world.call("sam", "POST", "/api/discussions",
                         json={"learner_id": kim_id, "source_id": "habc-l3", "unit_refs": ["3"], "channel": "web"})
    assert started.status_code == 201, started.text
    d = started.json()
    did = d["id"]
    assert d["unit_refs"] == ["J/506/2910"] and d["status"] == "open"  # "3" is HABC's unit number
    assert len(d["record"]["criteria"]) == 14 and d["current_ref"] == "J/506/2910 1.1"
    assert d["record"]["criteria"][0]["criterion_text"] == "Explain the concept of the “customer experience”"

    first = world.call("sam", "POST", f"/api/discussions/{did}/answers", json={
        "criterion_ref": "1.1", "text": CURLY, "question": "What is the customer experience?", "client_msg_id": "m1"})
    again = world.call("sam", "POST", f"/api/discussions/{did}/answers", json={
        "criterion_ref": "1.1", "text": CURLY, "client_msg_id": "m1"})
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and first.json()["version"] == 1  # recorded once
    more = world.call("sam", "POST", f"/api/discussions/{did}/answers",
                      json={"criterion_ref": "AC 1.1", "text": "Also after the sale."}).json()
    assert more["version"] == 2 and more["text"] == f"{CURLY}\n\nAlso after the sale."

    met = world.call("sam", "POST", f"/api/discussions/{did}/decisions",
                     json={"criterion_ref": "1.1", "outcome": "met", "reason": "Clear and personal."})
    assert met.status_code == 201 and met.json()["outcome"] == "met"
    no_reason = world.call("sam", "POST", f"/api/discussions/{did}/decisions",
                           json={"criterion_ref": "1.2", "outcome": "not_yet_met"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    world.call("sam", "POST", f"/api/discussions/{did}/decisions",
               json={"criterion_ref": "1.2", "outcome": "not_yet_met", "reason": "Named no methods."})

    detail = world.call("kim", "GET", f"/api/discussions/{did}").json()
    assert detail["coverage"]["met"] == ["J/506/2910 1.1"]
    assert detail["coverage"]["not_yet_met"] == ["J/506/2910 1.2"]
    assert detail["current_ref"] == "J/506/2910 1.3"

    early = world.call("kim", "POST", f"/api/discussions/{did}/signoffs", json={"role": "learner"})
    assert early.status_code == 409 and early.json()["detail"].startswith("The assessor signs first")
    signed = world.call("sam", "POST", f"/api/discussions/{did}/signoffs", json={"role": "assessor"})
    assert signed.status_code == 201 and signed.json()["declaration"].startswith("I confirm")
    late = world.call("sam", "POST", f"/api/discussions/{did}/answers", json={"criterion_ref": "1.3", "text": "x"})
    assert late.status_code == 409 and "amendment" in late.json()["detail"]
    confirm = world.call("kim", "POST", f"/api/discussions/{did}/signoffs",
                         json={"role": "learner", "declaration": "These are my own answers."})
    assert confirm.status_code == 201
    twice = world.call("kim", "POST", f"/api/discussions/{did}/signoffs", json={"role": "learner"})
    assert twice.status_code == 409 and "already signed" in twice.json()["detail"]

    amended = world.call("sam", "POST", f"/api/discussions/{did}/amendments", json={
        "criterion_ref": "1.2", "field": "decision", "new": "met", "reason": "Methods were in the recording."})
    assert amended.status_code == 201
    assert (amended.json()["old"], amended.json()["new"]) == ("not_yet_met", "met")
    assert amended.json()["signatures_undone"] == ["learner"]
    assert amended.json()["note"].startswith("This amendment came after Kim Nowak's confirmation (")
    assert amended.json()["note"].endswith("so that no longer holds: the learner needs to confirm the amended record again.")

    check_exports(world, did)


def check_exports(world: World, did: int) -> None:
    pdf = world.call("kim", "GET", f"/api/discussions/{did}/export?format=pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="discussion-{did}.pdf"'
    text = flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
    for expected in ("Learner Kim Nowak", "Assessor Sam Patel", "HABC Level 3 Diploma in Customer Service (QCF)",
                     "601/4027/6", "Unit Unit 3: Understand customers and customer retention (J/506/2910)",
                     "1.1 Explain the concept of the “customer experience”",
                     "Answer I’d say it’s the “whole journey” 😀 – [cjk unified ideograph-9867]",
                     "Decision Met Reason Clear and personal.",
                     "Decision Met Reason Methods were in the recording.",  # 1.2 after the amendment
                     "Decision, version 1 Not yet met. Reason: Named no methods.",  # ... and before it
                     "Learner confirmation “These are my own answers.” Signed Kim Nowak",
                     "No longer holds An amendment after this signature undid it",
                     "Amendments after sign-off (1)", "Methods were in the recording."):
        assert expected in text, expected

    rows = list(csv.DictReader(io.StringIO(world.call("kim", "GET", f"/api/discussions/{did}/export?format=csv")
                                           .content.decode("utf-8-sig"))))
    answers = [(r["version"], r["current"], r["answer"]) for r in rows if r["criterion_ref"] == "1.1" and r["entry"] == "Answer"]
    assert answers[-1] == ("2", "yes", f"{CURLY}\n\nAlso after the sale.") and answers[0][:2] == ("1", "no")
    decisions = [(r["decision"], r["reason"], r["change"]) for r in rows
                 if r["criterion_ref"] == "1.2" and r["entry"] == "Decision"]
    assert decisions == [("Not yet met", "Named no methods.", "First recorded"),
                         ("Met", "Methods were in the recording.", "Amended after sign-off")]
    assert {r["criterion_ref"] for r in rows if r["entry"] == "Nothing recorded yet"} >= {"1.3"}
    learner = next(r for r in rows if r["entry"] == "Learner signature")
    assert learner["recorded_by"] == "Kim Nowak" and learner["signed_for"].startswith("An earlier version")
    assert learner["signed_for"].endswith("; no longer holds: undone by an amendment")

    data = json.loads(world.call("kim", "GET", f"/api/discussions/{did}/export?format=json").content)
    assert (data["status"], data["status_code"]) == ("Signed off", "signed") and data["learner"] == "Kim Nowak"
    assert (data["channel"], data["channel_code"]) == ("Web chat", "web")
    assert data["criteria"][0]["question"] == "What is the customer experience?"
    assert [(s["role"], s["role_code"]) for s in data["signoffs"]] == [("Assessor", "assessor"), ("Learner", "learner")]
    assert data["signoffs"][1]["signed_for"].startswith("An earlier version of this record")
    amended = data["amendments"][0]
    assert (amended["field"], amended["field_code"], amended["by"]) == ("Decision", "decision", "Sam Patel")
    assert (amended["old"], amended["old_code"], amended["new"], amended["new_code"]) == (
        "Not yet met", "not_yet_met", "Met", "met")
    detail = world.call("kim", "GET", f"/api/discussions/{did}").json()
    assert detail["record"]["criteria"][1]["decision"] == data["criteria"][1]["decision_code"] == "met"
    assert data["criteria"][1]["decision"] == "Met"


def test_admin_starts_for_an_assessor(world):
    body = {"learner_id": world.ids["learner"], "source_id": "habc-l3", "unit_refs": ["D/506/1942"]}
    missing = world.call("admin", "POST", "/api/discussions", json=body)
    assert missing.status_code == 422 and "assessor_id" in missing.json()["detail"]
    made = world.call("admin", "POST", "/api/discussions", json=body | {"assessor_id": world.ids["assessor"]})
    assert made.status_code == 201 and made.json()["assessor_id"] == world.ids["assessor"]
    again = world.call("assessor", "POST", "/api/discussions", json=body)
    assert again.status_code == 409 and "already have an unfinished discussion" in again.json()["detail"]


def test_an_assessor_starts_only_with_a_learner_assigned_to_them(world):
    with world.session() as s:
        from bot.records import access, enrolment, people

        new = people.create_person(s, "Unassigned Learner", actor=world.ids["admin"]).id
        enrolment.enrol(s, new, "habc-l3", actor=world.ids["admin"])
    body = {"learner_id": new, "source_id": "habc-l3", "unit_refs": ["3"], "outcomes": ["2"]}
    refused = world.call("other_assessor", "POST", "/api/discussions", json=body)
    assert refused.status_code == 403
    assert refused.json()["detail"] == ("Unassigned Learner is not assigned to you; an admin can assign them to you "
                                        "(see README: Identity and roles).")
    with world.session() as s:
        access.assign(s, world.ids["admin"], world.ids["other_assessor"], new)
    made = world.call("other_assessor", "POST", "/api/discussions", json=body)
    assert made.status_code == 201
    assert [c["criterion_ref"] for c in made.json()["record"]["criteria"]] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert world.call("assessor", "GET", f"/api/discussions/{made.json()['id']}").status_code == 403
