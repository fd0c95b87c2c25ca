# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/adf.py: plain text as Atlassian Document Format."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.jiraops.jira.plugins.module_utils.common.adf import text_to_adf


def text(value):
    return {"type": "text", "text": value}


BREAK = {"type": "hardBreak"}


def doc(*paragraphs):
    return {"type": "doc", "version": 1,
            "content": [{"type": "paragraph", "content": list(each)} for each in paragraphs]}


def test_one_line_is_one_paragraph():
    assert text_to_adf("See the CI log.") == doc([text("See the CI log.")])


def test_blank_lines_split_paragraphs_and_line_breaks_stay():
    assert text_to_adf("Build failed.\nStage: test\n\n\nSee the log.") == \
        doc([text("Build failed."), BREAK, text("Stage: test")], [text("See the log.")])


def test_windows_line_ends_and_whitespace_only_lines_count_as_blank():
    assert text_to_adf("a\r\nb\r\n \t\r\nc") == doc([text("a"), BREAK, text("b")], [text("c")])


def test_empty_lines_inside_a_block_make_no_empty_text_node():
    assert text_to_adf("\n\nonly\n\n") == doc([text("only")])
    assert text_to_adf("") == {"type": "doc", "version": 1, "content": []}


def test_markup_is_not_interpreted():
    assert text_to_adf("*bold* [link|http://x] <b>") == doc([text("*bold* [link|http://x] <b>")])


@pytest.mark.parametrize("value", [None, 5, ["a"], {"a": 1}])
def test_not_a_string_is_refused(value):
    with pytest.raises(TypeError, match="text_to_adf takes a string"):
        text_to_adf(value)


def _flattened(document):
    paragraphs = []
    for paragraph in document["content"]:
        paragraphs.append("".join(node.get("text", "\n") for node in paragraph["content"]))
    return paragraphs


@given(st.lists(st.lists(st.text(st.characters(blacklist_characters="\r\n"), min_size=1).filter(lambda s: s.strip()),
                         min_size=1, max_size=4), min_size=1, max_size=4))
def test_paragraphs_and_lines_survive(blocks):
    written = "\n\n".join("\n".join(lines) for lines in blocks)
    document = text_to_adf(written)
    assert _flattened(document) == ["\n".join(lines) for lines in blocks]
    assert all(node.get("text") != "" for paragraph in document["content"] for node in paragraph["content"])
