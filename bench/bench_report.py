# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report of bench/run_bench.py: medians and ratios from the samples, the targets, the table."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import platform
import re
import subprocess
import sys

import raw_floor
from bench_cases import PER_TASK_CASES
from bench_common import median, ratio


def results(bench):
    """The cases (medians, ratios pair by pair within a run), the targets and the bulk check of a finished
    ``bench_rounds.Bench``."""
    tasks = bench.args.tasks
    runs = range(bench.args.runs)
    wall = dict((case["key"],
                 bench.samples["wall:" + case["key"]]) for case in PER_TASK_CASES)  # the empty one: median of 3 per run
    cost = dict((key, [(wall[key][i] - wall["empty"][i]) / tasks for i in runs]) for key in wall if key != "empty")
    rows = []

    def row(section, key, title, unit, values_s, wall_s, vs=None, peak_key=None, extra=None):
        entry = dict(section=section, key=key, title=title, unit=unit,
                     median_ms=_ms(median(values_s)), runs_ms=[_ms(v) for v in values_s],
                     min_ms=_ms(min(values_s)), max_ms=_ms(max(values_s)),
                     wall_median_ms=_ms(median(wall_s)), wall_runs_ms=[_ms(v) for v in wall_s])
        for name, values in (vs or {}).items():
            entry["vs_" + name] = _round(median(values), 4)
            entry["vs_%s_runs" % name] = [_round(v, 4) for v in values]
        if peak_key and bench.peaks.get(peak_key):
            entry["peak_mb"] = round(median(bench.peaks[peak_key]) / 1024.0, 1)
        entry.update(extra or {})
        rows.append(entry)

    row("per task", "empty", "empty playbook (0 tasks; per run the median of 3)", "ms per playbook", wall["empty"],
        wall["empty"],
        extra=dict(each_runs_ms=[[_ms(v) for v in each] for each in bench.samples["wall:empty_each"]]))
    for case in PER_TASK_CASES[1:]:
        key = case["key"]
        row("per task", key, case["title"], "ms per task", cost[key], wall[key],
            vs=dict(uri=[ratio(cost[key][i], cost["uri"][i]) for i in runs],
                    debug=[ratio(cost[key][i], cost["debug"][i]) for i in runs]))

    adhoc_uri, adhoc_auth = bench.samples["adhoc_uri"], bench.samples["adhoc_auth"]
    row("ad hoc", "adhoc_uri", "ansible localhost -m ansible.builtin.uri", "ms per command", adhoc_uri, adhoc_uri,
        vs=dict(uri=[1.0 for i in runs]))
    row("ad hoc", "adhoc_auth", "ansible localhost -m jiraops.jira.jira_auth_check", "ms per command", adhoc_auth,
        adhoc_auth,
        vs=dict(uri=[ratio(adhoc_auth[i], adhoc_uri[i]) for i in runs]))

    empty_b = bench.samples["bulk_empty"]
    raw_loop = bench.samples["raw_loop"]
    bulk_task = [bench.samples["bulk_request"][i] - empty_b[i] for i in runs]
    loop_task = [bench.samples["bulk_uri_loop"][i] - empty_b[i] for i in runs]
    title = "%d issues, %d pages of %d" % (bench.args.bulk_issues, bench.pages, bench.args.page_size)
    row("bulk", "raw_loop", "raw floor: requests.Session loop, in-process (%s)" % title, "ms per fetch", raw_loop,
        raw_loop,
        vs=dict(raw=[1.0 for i in runs], uri_loop=[ratio(raw_loop[i], loop_task[i]) for i in runs]))
    row("bulk", "raw_process", "raw floor as a process (python start + import requests + loop)", "ms per process",
        bench.samples["raw_process"], bench.samples["raw_process"],
        vs=dict(raw=[ratio(bench.samples["raw_process"][i], raw_loop[i]) for i in runs],
                uri_loop=[ratio(bench.samples["raw_process"][i], loop_task[i]) for i in runs]), peak_key="raw_process")
    row("bulk", "bulk_request", "jira_request paginate: true (task = playbook - empty playbook)", "ms per task",
        bulk_task,
        bench.samples["bulk_request"],
        vs=dict(raw=[ratio(bulk_task[i], raw_loop[i]) for i in runs],
                uri_loop=[ratio(bulk_task[i], loop_task[i]) for i in runs],
                raw_process=[ratio(bulk_task[i], bench.samples["raw_process"][i]) for i in runs]),
        peak_key="bulk_request",
        extra=dict(callback_task_median_ms=_ms(median(bench.samples["bulk_request:callback_seconds"]))))
    for key, title in (("bulk_request_dest",
                        "jira_request paginate: true, dest: file (task = playbook - empty playbook)"),
                       ("bulk_request_dest_one",
                        "the same with concurrent_pages: 1 (one page at a time, as the floor)")):
        dest_task = [bench.samples[key][i] - empty_b[i] for i in runs]
        row("bulk", key, title, "ms per task", dest_task, bench.samples[key],
            vs=dict(raw=[ratio(dest_task[i], raw_loop[i]) for i in runs],
                    uri_loop=[ratio(dest_task[i], loop_task[i]) for i in runs],
                    raw_process=[ratio(dest_task[i], bench.samples["raw_process"][i]) for i in runs]),
            peak_key=key)
    row("bulk", "bulk_uri_loop", "uri with loop over the page offsets (task = playbook - empty playbook)",
        "ms per task", loop_task,
        bench.samples["bulk_uri_loop"],
        vs=dict(raw=[ratio(loop_task[i], raw_loop[i]) for i in runs], uri_loop=[1.0 for i in runs]),
        peak_key="bulk_uri_loop",
        extra=dict(callback_task_median_ms=_ms(median(bench.samples["bulk_uri_loop:callback_seconds"]))))
    row("bulk", "bulk_empty", "empty playbook (bulk baseline, same memory wrapper)", "ms per playbook", empty_b,
        empty_b, peak_key="bulk_empty")

    by_key = dict((r["key"], r) for r in rows)
    targets = [
        _target("jira_auth_check controller path <= 0.10x uri per task (goal 0.05x)",
                by_key["auth_controller"].get("vs_uri"), 0.10, goal=0.05),
        _target("jira_auth_check controller path <= 2x debug per task", by_key["auth_controller"].get("vs_debug"), 2.0),
        _target("jira_auth_check module path <= 1.0x uri per task", by_key["auth_module"].get("vs_uri"), 1.0),
        _target("ad hoc jira_auth_check <= 1.0x ad hoc uri", by_key["adhoc_auth"].get("vs_uri"), 1.0),
        _target("bulk paging <= 1.5x raw requests.Session floor (items returned in the result)",
                by_key["bulk_request"].get("vs_raw"), 1.5),
        _target("bulk paging <= 1.5x raw requests.Session floor (items written to dest)",
                by_key["bulk_request_dest"].get("vs_raw"), 1.5),
    ]
    return dict(cases=rows, targets=targets,
                bulk_check=dict(passed=all(c["passed"] for c in bench.bulk_checks) and bool(bench.bulk_checks),
                                checks=bench.bulk_checks))


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000.0, 2)


def _round(value, digits):
    return None if value is None else round(value, digits)


def _target(name, value, limit, goal=None):
    target = dict(name=name, value=value, limit=limit, passed=value is not None and value <= limit)
    if goal is not None:
        target["goal"] = goal
        target["goal_met"] = value is not None and value <= goal
    return target


# ---------------------------------------------------------------------------------------------------------------------
# report

def _fmt_ms(value):
    return "-" if value is None else "%.1f" % value


def _fmt_ratio(value):
    if value is None:
        return "-"
    return "%.3fx" % value if value < 10 else "%.1fx" % value


def render_table(rows):
    header = ["section", "case", "median ms", "unit", "vs uri", "vs debug", "vs raw floor", "vs uri loop", "peak MB",
              "runs min..max ms"]
    lines = []
    for r in rows:
        lines.append([r["section"], r["title"], _fmt_ms(r["median_ms"]), r["unit"], _fmt_ratio(r.get("vs_uri")),
                      _fmt_ratio(r.get("vs_debug")),
                      _fmt_ratio(r.get("vs_raw")), _fmt_ratio(r.get("vs_uri_loop")),
                      "-" if r.get("peak_mb") is None else "%.1f" % r["peak_mb"], "%s..%s"
                      % (_fmt_ms(r["min_ms"]), _fmt_ms(r["max_ms"]))])
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines)]
    numeric = set(range(2, len(header)))

    def fmt(cells):
        return "| " + " | ".join(str(c).rjust(w) if i in numeric else str(c).ljust(w) for i,
                                 (c, w) in enumerate(zip(cells, widths))) + " |"

    out = [fmt(header), "|"
           + "|".join((("-" * (w + 1)) + ":") if i in numeric else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|"]
    out.extend(fmt(cells) for cells in lines)
    return "\n".join(out)


def render_targets(targets):
    lines = []
    for t in targets:
        value = "n/a (a denominator was <= 0: too noisy)" if t["value"] is None else "%.3fx" % t["value"]
        line = "- %s %s: %s (limit %.2fx)" % ("PASS" if t["passed"] else "FAIL", t["name"], value, t["limit"])
        if "goal" in t:
            line += "; goal %.2fx %s" % (t["goal"], "met" if t["goal_met"] else "not met")
        lines.append(line)
    return "\n".join(lines)


def machine_info(tools, runner):
    info = dict(cores=os.cpu_count(), python="%s (%s)" % (platform.python_version(), sys.executable),
                platform=platform.platform())
    try:
        info["usable_cores"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        with open("/proc/cpuinfo", "r", encoding="utf-8") as handle:
            models = re.findall(r"^model name\s*:\s*(.+)$", handle.read(), re.MULTILINE)
        if models:
            info["cpu"] = models[0].strip()
        with open("/proc/meminfo", "r", encoding="utf-8") as handle:
            match = re.search(r"^MemTotal:\s*([0-9]+) kB", handle.read(), re.MULTILINE)
        if match:
            info["memory_gb"] = round(int(match.group(1)) / 1048576.0, 1)
    except (IOError, OSError):
        pass
    version = subprocess.run([tools["ansible-playbook"], "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, env=runner.env,
                             cwd=runner.workdir, check=False).stdout.decode("utf-8", "replace")
    match = re.search(r"core ([0-9][^\]\s]*)", version)
    info["ansible_core"] = (match.group(1) if match else version.strip().splitlines()[0] if version.strip()
                            else "unknown")
    info["requests"] = raw_floor.requests.__version__
    info["memory_measured_with"] = runner.memory_method
    return info


def report(results):
    info = results["machine"]
    settings = results["settings"]
    print("## jiraops.jira benchmark")
    print("")
    print("command: %s" % results["command"])
    print("machine: %s cores (%s usable), %s, %s GB RAM; %s"
          % (info.get("cores"), info.get("usable_cores", "?"), info.get("cpu", "?"),
             info.get("memory_gb", "?"), info.get("platform")))
    print("python %s; ansible-core %s; requests %s" % (info["python"], info["ansible_core"], info["requests"]))
    print("collection: jiraops.jira %s, snapshot of %s (FILES.json sha256 %s)"
          % (results["collection"]["version"], results["collection"]["source"],
             results["collection"]["files_sha256"][:12]))
    print("load average before %s, after %s; took %ss"
          % (info["load_average_before"], info["load_average_after"], info["duration_s"]))
    print("settings: %d runs, %d tasks per playbook, bulk %d issues in pages of %d%s"
          % (settings["runs"], settings["tasks"], settings["bulk_issues"], settings["page_size"], " (--quick)"
             if settings["quick"] else ""))
    if results["ignored_environment"]:
        print("ignored from the environment: %s" % ", ".join(results["ignored_environment"]))
    print("peak MB: %s" % info["memory_measured_with"])
    print("medians of the runs; ratios are medians of per-run ratios (each pair from the same run). "
          "Per task = (playbook - empty playbook) / tasks.")
    print("")
    print(render_table(results["cases"]))
    print("")
    check = results["bulk_check"]
    print("bulk check: %s (every issue TEST-1..TEST-%d returned exactly once by jira_request and by the uri loop, "
          "in every run)" % ("passed" if check["passed"] else "FAILED", settings["bulk_issues"]))
    print("")
    print("targets:")
    print(render_targets(results["targets"]))
    sys.stdout.flush()
