from reports import kinds


def test_a_kind_whose_module_is_missing_is_hidden(monkeypatch):
    monkeypatch.setitem(kinds.KINDS, "ghost", ("Không có", "nowhere.reporting.build"))
    assert kinds.builder("ghost") is None
    assert "ghost" not in dict(kinds.available())
    assert "ratings" in dict(kinds.available()) and "membership" in dict(kinds.available())


def test_unknown_kinds_have_no_builder():
    assert kinds.builder("nope") is None and kinds.label("nope") == "nope"
