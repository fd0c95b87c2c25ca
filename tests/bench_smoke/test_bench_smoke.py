# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Smoke test of the benchmark: `bench/run_bench.py --quick` runs end to end and reports every case.

Not a timing test: there are no thresholds, and the targets may PASS or FAIL. It needs the collection
installed where ANSIBLE_COLLECTIONS_PATH points (the Makefile sets it to build/collections after
`make install`) and is skipped otherwise.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN_BENCH = os.path.join(REPO_ROOT, "bench", "run_bench.py")
QUICK_ISSUES = 200
CASES = {
    "empty": "empty playbook (0 tasks",
    "debug": "ansible.builtin.debug",
    "uri": "ansible.builtin.uri GET /myself",
    "auth_controller": "jira_auth_check (controller path)",
    "auth_module": "jira_auth_check (module path)",
    "request": "jira_request GET /myself (controller path)",
    "auth_https": "jira_auth_check (controller path, https, system CA store)",
    "adhoc_uri": "ansible localhost -m ansible.builtin.uri",
    "adhoc_auth": "ansible localhost -m jiraops.jira.jira_auth_check",
    "raw_loop": "raw floor: requests.Session loop",
    "raw_process": "raw floor as a process",
    "bulk_request": "jira_request paginate: true (task",
    "bulk_request_dest": "jira_request paginate: true, dest: file",
    "bulk_request_dest_one": "the same with concurrent_pages: 1",
    "bulk_uri_loop": "uri with loop over the page offsets",
    "bulk_empty": "empty playbook (bulk baseline",
}


def _collection_installed():
    for root in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep):
        if root and os.path.isfile(os.path.join(root, "ansible_collections", "jiraops", "jira", "MANIFEST.json")):
            return True
    return False


def test_quick_bench_runs_end_to_end(tmp_path):
    if not _collection_installed():
        pytest.skip("jiraops.jira is not installed on ANSIBLE_COLLECTIONS_PATH "
                    "(run `make install` and set it to build/collections)")
    results_file = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, RUN_BENCH, "--quick", "--json", str(results_file)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=900, check=False)
    stdout = proc.stdout.decode("utf-8", "replace")
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, "run_bench.py --quick exited %s\n--- stdout\n%s\n--- stderr\n%s" % (
        proc.returncode, stdout[-3000:], stderr[-3000:])

    # the table: a markdown header and separator, and one row per case
    table = [line for line in stdout.splitlines() if line.startswith("|")]
    assert table and table[0].split("|")[1].strip() == "section", stdout
    assert set(table[1]) <= set("|-: "), stdout
    for title in CASES.values():
        assert any(title in line for line in table[2:]), "no table row for %r\n%s" % (title, stdout)
    assert "bulk check: passed" in stdout
    verdicts = [line for line in stdout.splitlines() if line.startswith("- PASS ") or line.startswith("- FAIL ")]
    assert len(verdicts) == 6, stdout

    results = json.loads(results_file.read_text(encoding="utf-8"))
    cases = dict((case["key"], case) for case in results["cases"])
    assert set(CASES) <= set(cases)
    for key in CASES:
        case = cases[key]
        # wall times are positive by construction; a per-task difference at --quick sizes can be noise, but is a number
        assert case["wall_median_ms"] > 0, case
        assert all(value > 0 for value in case["wall_runs_ms"]), case
        assert isinstance(case["median_ms"], (int, float)), case
    for key in ("raw_loop", "raw_process", "adhoc_uri", "adhoc_auth", "empty", "bulk_empty"):
        assert cases[key]["median_ms"] > 0, cases[key]
    for key in ("raw_process", "bulk_request", "bulk_request_dest", "bulk_request_dest_one", "bulk_uri_loop",
                "bulk_empty"):
        assert cases[key]["peak_mb"] > 0, cases[key]

    check = results["bulk_check"]
    assert check["passed"] is True
    assert sorted(c["case"] for c in check["checks"]) == ["bulk_request", "bulk_request_dest", "bulk_request_dest_one",
                                                          "bulk_uri_loop"]
    for item in check["checks"]:
        assert item["count"] == item["unique"] == item["expected"] == QUICK_ISSUES, item

    assert len(results["targets"]) == 6
    assert all(isinstance(target["passed"], bool) for target in results["targets"])
    assert results["settings"] == dict(runs=1, tasks=2, bulk_issues=QUICK_ISSUES, page_size=50, quick=True)
