"""The JQL parser on its own (no HTTP)."""

import pytest

from jirasim import jql


def test_parse_tree_and_order():
    tree, order = jql.parse('project = TEST AND (labels in (a, "b c") OR summary ~ x) ORDER BY key DESC, created')
    assert tree[0] == "and"
    assert tree[1][0] == ("clause", "project", "=", ["TEST"])
    assert tree[1][1][0] == "or"
    assert order == [("key", True), ("created", False)]


def test_empty_and_order_only():
    assert jql.parse("") == (None, [])
    assert jql.parse("order by key asc") == (None, [("key", False)])


@pytest.mark.parametrize("text, message", [
    ("project = TEST foo", "Expecting either 'OR' or 'AND' but got 'foo'."),
    ('summary ~ "open', "The quoted string"),
    ("project TEST", "Expecting operator but got 'TEST'."),
    ("project = TEST & x", "reserved JQL character"),
    ("labels = x ORDER key", "Expecting 'by'"),
])
def test_syntax_errors(text, message):
    with pytest.raises(jql.JqlError) as error:
        jql.parse(text)
    assert str(error.value).startswith("Error in the JQL Query: ") and message in str(error.value)


def test_operator_support():
    with pytest.raises(jql.JqlError, match="not supported"):
        jql.parse("project ~ TEST")
    assert jql.parse("assignee is EMPTY")[0] == ("clause", "assignee", "is", ["empty"])
    assert jql.parse("assignee = currentUser()")[0][3] == ["currentUser()"]


def test_parser_raises_only_jql_errors():
    hypothesis = pytest.importorskip("hypothesis")
    strategies = pytest.importorskip("hypothesis.strategies")
    words = strategies.sampled_from(["project", "=", "TEST", "AND", "OR", "(", ")", "in", "not", ",", '"x y"', "~",
                                     "ORDER", "BY", "key", "DESC", "is", "EMPTY", "'", "!=", "labels"])

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(strategies.lists(words, max_size=12))
    def check(parts):
        try:
            jql.parse(" ".join(parts))
        except jql.JqlError:
            pass

    check()
