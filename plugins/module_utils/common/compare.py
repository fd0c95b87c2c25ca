# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Comparing what a task wants with what Jira holds: the superset check every idempotent write is decided by, the
part of a record a diff shows, and reading nested values of an answer that may lack a level."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def is_subset(desired, current):
    """True when every value in ``desired`` already holds in ``current`` (extra keys in current are fine).

    Lists match when they have the same length and each desired item matches a distinct current item,
    in any order (Jira does not keep the order of labels or components).
    """
    if isinstance(desired, dict):
        return isinstance(current, dict) and all(key in current and is_subset(value, current[key])
                                                 for key, value in desired.items())
    if isinstance(desired, list):
        return isinstance(current, list) and len(desired) == len(current) and _pair_up(desired, current)
    if isinstance(desired, bool) or isinstance(current, bool):
        return desired is current
    return desired == current


def _pair_up(desired, current):
    """Whether each desired item matches a distinct current item (backtracking; lists in Jira bodies are short)."""
    if not desired:
        return True
    first, rest = desired[0], desired[1:]
    return any(is_subset(first, candidate) and _pair_up(rest, current[:index] + current[index + 1:])
               for index, candidate in enumerate(current))


def project_onto(current, desired):
    """The part of ``current`` that ``desired`` talks about, for a readable diff."""
    if isinstance(desired, dict) and isinstance(current, dict):
        return dict((key, project_onto(current.get(key), value)) for key, value in desired.items())
    return current


def member(value, *names):
    """``value[names[0]][names[1]]...``, or None where a level is missing or is not a JSON object."""
    for name in names:
        value = value.get(name) if isinstance(value, dict) else None
    return value
