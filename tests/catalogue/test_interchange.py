"""The interchange format: every seed survives export then import exactly, and each kind of
mistake is refused whole with a message naming where it is."""
from __future__ import annotations

import copy
import json

import pytest

from catalogue import cli, interchange
from catalogue.interchange import FormatError

SEEDS = ("sfj-l2", "habc-l3", "cg-pool", "ncfe-l1", "svq4")


@pytest.mark.parametrize("sid", SEEDS)
def test_every_seed_round_trips_exactly(real_cat, sid, tmp_path, capsys):
    out = tmp_path / f"{sid}.json"
    assert cli.main(["export", sid, "-o", str(out)]) == 0
    back = interchange.load(out)
    assert back == real_cat.source(sid)
    assert interchange.dumps(back) == out.read_text(encoding="utf-8")
    assert cli.main(["import", "--check", str(out)]) == 0
    assert f"valid: {sid}" in capsys.readouterr().out


@pytest.fixture
def svq(real_cat) -> dict:
    return interchange.to_dict(real_cat.source("svq4"))


def refused(data) -> FormatError:
    with pytest.raises(FormatError) as e:
        interchange.loads(json.dumps(data) if not isinstance(data, (str, bytes)) else data)
    return e.value


def test_wrong_type_names_the_field(svq):
    svq["units"][2]["credits"] = "ten"
    e = refused(svq)
    assert e.path == "units/2/credits" and "'ten' is not of type integer" in e.reason


def test_missing_field_names_it(svq):
    del svq["units"][0]["outcomes"][1]["criteria"][0]["text"]
    e = refused(svq)
    assert e.path == "units/0/outcomes/1/criteria/0" and "'text' is missing" in e.reason


def test_unknown_field_is_refused(svq):
    svq["qualification"]["credit"] = 64
    e = refused(svq)
    assert e.path == "qualification" and "'credit'" in e.reason


def test_duplicate_unit_reference(svq):
    svq["units"].append(copy.deepcopy(svq["units"][0]))
    e = refused(svq)
    assert e.path == f"units/{len(svq['units']) - 1}/ref" and "appears twice" in e.reason


def test_duplicate_criterion_reference(svq):
    criteria = svq["units"][0]["outcomes"][0]["criteria"]
    criteria[1]["ref"] = criteria[0]["ref"]
    e = refused(svq)
    assert e.path == "units/0/outcomes/0/criteria/1/ref" and f"criterion {criteria[0]['ref']}" in e.reason


def test_group_minimum_above_maximum(svq):
    group = svq["qualification"]["rules"]["groups"][1]
    group["min_units"], group["max_units"] = 3, 2
    e = refused(svq)
    assert e.path == "qualification/rules/groups/1/min_units" and "min_units 3 is above max_units 2" in e.reason


def test_group_naming_an_unknown_unit(svq):
    svq["qualification"]["rules"]["groups"][0]["units"].append("NOSUCH1")
    e = refused(svq)
    assert "NOSUCH1" in e.reason and e.path.startswith("qualification/rules/groups/0/units/")


def test_criterion_with_no_outcome(svq):
    unit = svq["units"][0]
    unit["knowledge"].append(dict(unit["outcomes"][0]["criteria"][0], ref="PC99"))
    e = refused(svq)
    assert e.path == f"units/0/knowledge/{len(unit['knowledge']) - 1}" and "has no outcome" in e.reason


def test_unknown_kind_and_topic(svq):
    svq["facts"][0]["topic"] = "weather"
    assert refused(svq).path == "facts/0/topic"


def test_other_version_is_named(svq):
    svq["version"] = 2
    assert "version 2 is not supported" in str(refused(svq))


def test_fifty_megabyte_file_is_refused_unread(tmp_path, capsys):
    big = tmp_path / "big.json"
    with open(big, "w") as f:
        f.write('{"format": "cs-assistant-catalogue", "pad": "')
        f.write("x" * (50 * 1024 * 1024))
        f.write('"}')
    assert cli.main(["import", str(big)]) == 2
    err = capsys.readouterr().err
    assert "52.4 MB" in err and "at most 10 MB" in err and "nothing imported" in err


def test_not_json():
    assert "not JSON" in refused("{units: [").reason
