# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every part of the benchmark shares: the constants, its error, and small helpers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import statistics
import sys
import urllib.request


BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
COLLECTION = ("jiraops", "jira")
USER = "svc-ci"
PASSWORD = "pa:ss:w0rd"
JQL = "project = TEST ORDER BY key"
TIME_BIN = "/usr/bin/time"
COMMAND_TIMEOUT = 1800
AGENT_CONTROLLER = r"^jiraops\.jira/\S+ \(controller\) "
AGENT_MODULE = r"^jiraops\.jira/\S+ \(module\) "
AGENT_URI = r"^ansible-httpget"


class BenchError(Exception):
    """The benchmark could not measure what it means to measure."""


def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def progress(message):
    sys.stderr.write("[bench] %s\n" % message)
    sys.stderr.flush()


def tail(path, lines=40):
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except (IOError, OSError):
        return "(no output)"


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_json(url, method="GET", opener=_OPENER):
    """jirasim's control API (no auth, no proxy)."""
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with opener.open(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))
