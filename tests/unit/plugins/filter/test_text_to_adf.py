# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for the text_to_adf filter: the same document as module_utils.adf, and a clear error for non-text."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.jiraops.jira.plugins.filter.text_to_adf import FilterModule
from ansible_collections.jiraops.jira.plugins.module_utils.common.adf import text_to_adf

FILTER = FilterModule().filters()["text_to_adf"]


def test_the_filter_gives_the_helper_s_document():
    assert FILTER("a\nb\n\nc") == text_to_adf("a\nb\n\nc")


@pytest.mark.parametrize("value", [None, 3, {"type": "doc"}])
def test_not_text_is_refused_in_words(value):
    with pytest.raises(AnsibleFilterError, match="text_to_adf takes a string"):
        FILTER(value)
