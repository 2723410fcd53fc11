import pytest

from bot.domain.gibberish import is_gibberish
from catalogue import load_catalogue


@pytest.mark.parametrize("text", ["asdfgh", "qwerty uiop", "kjhkjh", ";lkj;lkj", "zzzzzz", "ghghghgh", "@@@ ###",
                                  "kjh lkj ,,, 99//", "gh gh gh ~~ 0/0", "qwe 12//34"])
def test_keyboard_mashing(text):
    assert is_gibberish(text, load_catalogue())


@pytest.mark.parametrize("text", ["yes", "yep", "thx", "no ta", "what's left", "unit 206", "2.3", "K/506/2155",
                                  "buddie a colleage", "resolve customer complants", "hiya", "ok",
                                  "2", "206", "601/4027/6", "unit 5 of the svq", "zzz 2.1"])
def test_real_messages_including_typos_and_references(text):
    assert not is_gibberish(text, load_catalogue())
