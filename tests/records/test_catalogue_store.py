"""#17.4 in the records layer: imported qualifications live in the database, so every process sees
an import made by another one on its next call, with no restart; nothing else is changed."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import select

from bot.records import catalogue as catalogues
from bot.records import enrolment
from bot.records.db import transaction
from bot.records.models import CatalogueDocument, Enrolment
from bot.settings import REPO
from catalogue import interchange, load_catalogue
from tests.catalogue import invented
from tests.records.conftest import World


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "catalogue", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=300)


def test_an_import_by_another_process_is_served_on_the_next_call(db, tmp_path):
    before = catalogues.current(db)
    assert invented.ID not in before.sources and before is load_catalogue()
    path = tmp_path / "nwa.json"
    path.write_bytes(invented.text())
    done = _cli("import", str(path), "--database", db)
    assert done.returncode == 0, done.stderr
    assert f"imported: {invented.ID} version 1" in done.stdout
    after = catalogues.current(db)  # same process, no restart, nothing forgotten
    assert after.source(invented.ID).qualification.title == invented.TITLE
    assert after.unit("T/650/1002").title == "Handle guest feedback"
    assert catalogues.current(db) is after  # built once per revision, not per call
    again = _cli("import", str(path), "--database", db)
    assert again.returncode == 0 and "unchanged" in again.stdout, again.stdout


def test_a_refused_file_stores_nothing(db, tmp_path):
    doc = invented.document()
    doc["units"][0]["credits"] = -1
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    done = _cli("import", str(path), "--database", db)
    assert done.returncode == 2 and "refused, nothing imported: units/0/credits" in done.stderr, done.stderr
    assert transaction(lambda s: s.scalars(select(CatalogueDocument)).all(), db) == []


def test_versions_are_kept_and_the_newest_served(session, db):
    first = interchange.from_dict(invented.document())
    second = interchange.from_dict(invented.changed(invented.document(), credits=14))
    assert catalogues.import_document(session, first).version == 1
    assert catalogues.import_document(session, second).version == 2
    assert catalogues.import_document(session, second).changed is False
    session.commit()
    assert [r.version for r in catalogues.versions(session, invented.ID)] == [1, 2]
    assert catalogues.current(db).source(invented.ID).qualification.credits == 14
    assert catalogues.version_document(session, invented.ID, 1) == first


def test_enrolments_are_untouched_by_a_new_version(session, db):
    w = World(session)
    session.commit()
    doc = interchange.to_dict(load_catalogue().source("cg-pool"))
    doc["short_name"] = "City & Guilds unit pool (reissued)"
    catalogues.import_document(session, interchange.from_dict(doc), w.admin)
    session.commit()
    assert [(e.id, e.learner_id, e.source_id) for e in session.scalars(select(Enrolment))] == \
        [(w.enrolment.id, w.sam.id, "cg-pool")]
    assert catalogues.current(db).source("cg-pool").short_name == "City & Guilds unit pool (reissued)"
    nwa = interchange.from_dict(invented.document())
    catalogues.import_document(session, nwa, w.admin)
    assert enrolment.enrol(session, w.sam, invented.ID, w.alex, actor=w.admin).source_id == invented.ID


def test_a_database_without_the_table_serves_the_seeds(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    from bot.records.db import engine_for, dispose

    with engine_for(url).connect() as connection:
        connection.exec_driver_sql("CREATE TABLE other (id INTEGER)")
    try:
        assert catalogues.current(url) is load_catalogue()
    finally:
        dispose(url)
    assert catalogues.current(f"sqlite:///{tmp_path / 'missing.db'}") is load_catalogue()
    assert not (tmp_path / "missing.db").exists()
