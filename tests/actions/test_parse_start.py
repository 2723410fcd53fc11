"""Reading "start a professional discussion with Sam on unit 206" (bot.flows.assessor.parse_start)."""
from bot.flows.assessor import parse_start


def test_name_and_units():
    req = parse_start("Start a professional discussion with Sam on unit 206", {})
    assert (req.learner, req.units, req.outcomes) == ("Sam", ["206"], None)


def test_full_name_beats_a_partial_entity():
    req = parse_start("start a PD with Sam Patel on D/506/2119", {"learner_name": ["Sam"]})
    assert req.learner == "Sam Patel" and req.units == ["D/506/2119"]


def test_several_units_and_outcomes():
    req = parse_start("new professional discussion with Priya for units 206 and 207, outcome 2", {})
    assert req.learner == "Priya"
    assert req.units == ["206", "207"]
    assert req.outcomes == ["2"]


def test_title_as_unit():
    req = parse_start("begin a professional discussion with Jordan Lee on buddy a colleague", {})
    assert req.learner == "Jordan Lee" and req.units == ["buddy a colleague"]


def test_units_from_entities_when_no_on_clause():
    req = parse_start("let's do a PD with Chris", {"unit": ["K/506/2155"]})
    assert req.learner == "Chris" and req.units == ["K/506/2155"]


def test_my_learner_before_the_name_is_not_the_name():
    req = parse_start("Start a professional discussion with my learner Ana Costa on unit 217 Develop customer relationships", {})
    assert req.learner == "Ana Costa"
    assert req.units == ["217 Develop customer relationships"]


def test_learner_word_before_a_first_name():
    assert parse_start("PD with learner ana on 206", {}).learner == "ana"


def test_resume_reads_the_name_from_the_text():
    from bot.flows.assessor import _RESUME_NAME

    def name(text):
        m = _RESUME_NAME.search(text)
        return m and m.group("name")

    assert name("resume Ana's discussion") == "Ana's"
    assert name("continue the PD for Sam Patel") == "Sam Patel"
    assert name("carry on with my learner Priya") == "Priya"
    assert name("resume my discussion") is None
    assert name("resume the discussion please") is None


def test_lower_case_full_name_possessive_and_the_cover_question():
    assert parse_start("start a PD with ana costa on unit 206. what will it cover?", {}).learner == "ana costa"
    req = parse_start("start Ana's PD on 219 - what will it cover?", {})
    assert (req.learner, req.units, req.unit_text) == ("Ana", ["219"], "219")
    req = parse_start("I want to run a PD with Ana on unit 219 Support customers through real-time online customer service", {})
    assert req.learner == "Ana"
    assert req.unit_text == "unit 219 Support customers through real-time online customer service"
    req = parse_start("pd for my apprentice Jo Bloggs covering unit 3 and unit 4, what's the plan?", {})
    assert (req.learner, req.units) == ("Jo Bloggs", ["3", "4"])
