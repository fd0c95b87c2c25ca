# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chaos runner: seeded scenarios against jirasim behind the fault-injecting proxy, then every invariant.

    python tests/chaos/run_chaos.py --scenarios N [--seed S] [--workers 1|2] [--replay SEED]

Needs the collection installed in ANSIBLE_COLLECTIONS_PATH (``make install-dev`` writes build/collections, the
default when the variable is unset). A failing scenario prints its seed, the invariant it broke and a replay command.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import collections
import hashlib
import os
import queue
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
ROOT = os.path.dirname(TESTS)
for folder in (HERE, os.path.join(TESTS, "safety"), TESTS):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from safety_support import BIN_DIR, AnsibleRunner, installed_collection, start_jirasim  # noqa: E402

import chaos_invariants  # noqa: E402
import chaos_playbook  # noqa: E402
from chaos_proxy import FAULT_KINDS, FaultPlan, FaultProxy  # noqa: E402
from chaos_scenario import Scenario  # noqa: E402

RUN_LIMIT = 240  # seconds: a run that takes longer has hung (the invariant "run completed")


def scenario_seed(run_seed, index):
    """The seed of scenario ``index`` of a run: stable, and independent of how many scenarios run."""
    digest = hashlib.sha256(("%d:%d" % (run_seed, index)).encode("ascii")).hexdigest()
    return int(digest[:8], 16)


def ansible_env():
    """The base environment of every run (as tests/safety/conftest.py builds it)."""
    env = dict((k, v) for k, v in os.environ.items()
               if not k.startswith(("JIRA_", "JIRAOPS_", "ANSIBLE_"))
               or k in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS"))
    env.update({"PATH": BIN_DIR + os.pathsep + os.environ.get("PATH", ""), "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
                "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_RETRY_FILES_ENABLED": "0",
                "ANSIBLE_HOST_KEY_CHECKING": "0", "ANSIBLE_DEPRECATION_WARNINGS": "0", "PYTHONDONTWRITEBYTECODE": "1",
                "LC_ALL": "C.UTF-8", "ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0"})
    return env


def ensure_collection():
    """The collection must be installed; build/collections is the default (make install-dev)."""
    if installed_collection() is None:
        os.environ["ANSIBLE_COLLECTIONS_PATH"] = os.path.join(ROOT, "build", "collections")
    if installed_collection() is None:
        raise SystemExit("jiraops.jira is not installed: run `make install-dev` (or set ANSIBLE_COLLECTIONS_PATH)")


class Outcome:
    """What one scenario did and broke."""

    def __init__(self, scenario, violations, faults, elapsed, directory):
        self.scenario, self.violations, self.faults, self.elapsed = scenario, violations, faults, elapsed
        self.directory = directory

    @property
    def seed(self):
        return self.scenario.seed


class Worker:
    """One jirasim per flavor and one proxy in front of each, reused by every scenario this worker runs."""

    def __init__(self, root, keep=False, calm=False):
        self.root, self.keep, self.calm = root, keep, calm
        self.sims, self.proxies = {}, {}
        self.runner = AnsibleRunner(ansible_env(), root)

    def _endpoint(self, flavor):
        if flavor not in self.sims:
            self.sims[flavor] = start_jirasim("--flavor", flavor)
            self.proxies[flavor] = FaultProxy(self.sims[flavor].url)
        return self.sims[flavor], self.proxies[flavor]

    def run(self, seed):
        scenario = Scenario(seed)
        sim, proxy = self._endpoint(scenario.flavor)
        sim.reset()
        spec = scenario.creds.user_spec()
        if spec is not None:
            sim.control("POST", "users", spec)
        client = scenario.creds.client_spec()
        if client is not None:
            scenario.creds.use_client(sim.control("POST", "credentials", client))
        rate = 0.0 if self.calm else scenario.fault_rate
        proxy.plan = FaultPlan(seed, scenario.fault_kinds, rate, scenario.timeout, scenario.non_jira and not self.calm,
                               scenario.calm_requests)
        directory = tempfile.mkdtemp(prefix="scenario-%d-" % seed, dir=self.root)
        violations, elapsed = self._run(scenario, sim, proxy, directory)
        proxy.plan.rate = 0.0
        proxy.plan.non_jira = False
        if not violations and not self.keep:
            shutil.rmtree(directory, ignore_errors=True)
        return Outcome(scenario, violations, collections.Counter(proxy.plan.counts), elapsed, directory)

    def _run(self, scenario, sim, proxy, directory):
        inventory, variables, env = chaos_playbook.run_inputs(scenario, proxy.url, directory)
        self.runner.root = directory
        extra = ["-f", str(scenario.forks)] + ([scenario.verbosity] if scenario.verbosity else [])
        try:
            if scenario.adhoc:
                module, args = chaos_playbook.adhoc_args(scenario)
                run = self.runner.adhoc("all", module, args, inventory=inventory, extra_vars=variables, env=env,
                                        extra_args=extra, timeout=RUN_LIMIT)
            else:
                plays = chaos_playbook.playbook(scenario, directory)
                run = self.runner.playbook(plays, inventory=inventory, extra_vars=variables, env=env, extra_args=extra,
                                           timeout=RUN_LIMIT)
        except subprocess.TimeoutExpired:
            return [("run completed", "the run did not end within %d s" % RUN_LIMIT)], float(RUN_LIMIT)
        return check_all(scenario, sim, run), run.elapsed

    def stop(self):
        for proxy in self.proxies.values():
            proxy.stop()
        for sim in self.sims.values():
            sim.stop()


def check_all(scenario, sim, run):
    """Every invariant of one run."""
    targets = run.scan_targets()
    stats = sim.stats()
    violations = chaos_invariants.check_logins(stats)
    violations += chaos_invariants.check_token_requests(stats)
    violations += chaos_invariants.check_creates(sim, scenario)
    access_tokens = sim.control("GET", "users").get("access_tokens") or []
    violations += chaos_invariants.check_secrets(scenario, targets, access_tokens)
    violations += chaos_invariants.check_exceptions(targets)
    violations += chaos_invariants.check_deadline(scenario, run)
    violations += chaos_invariants.check_results(scenario, run)
    return violations


def replay_command(seed):
    return "python tests/chaos/run_chaos.py --replay %d" % seed


def report_outcome(outcome, out=sys.stdout):
    scenario = outcome.scenario
    status = "FAIL" if outcome.violations else "ok"
    faults = ",".join("%s=%d" % pair for pair in sorted(outcome.faults.items())) or "none"
    out.write("[%s] seed %d %.1fs faults(%s) %s\n"
              % (status, scenario.seed, outcome.elapsed, faults, scenario.describe()))
    for invariant, what, places in grouped(outcome.violations):
        shown = ", ".join(places[:4]) + (" and %d more" % (len(places) - 4) if len(places) > 4 else "")
        out.write("    broken: %s: %s%s\n" % (invariant, what, " in " + shown if shown else ""))
    if outcome.violations:
        out.write("    replay: %s\n    kept: %s\n" % (replay_command(scenario.seed), outcome.directory))
    out.flush()


def grouped(violations):
    """[(invariant, what, [where, ...])]: one line per finding, however many files hold it."""
    groups = collections.OrderedDict()
    for invariant, detail in violations:
        what, sep, where = detail.rpartition(" in ") if " in " in detail else (detail, "", "")
        groups.setdefault((invariant, what), []).append(where)
    return [(invariant, what, [where for where in places if where]) for (invariant, what), places in groups.items()]


def run_seeds(seeds, workers=1, root=None, report=report_outcome, keep=False, calm=False):
    """Run the scenarios of ``seeds`` on ``workers`` threads (each with its own jirasim and proxy); the outcomes."""
    ensure_collection()
    root = root or tempfile.mkdtemp(prefix="jiraops-chaos-")
    pending = queue.Queue()
    for seed in seeds:
        pending.put(seed)
    outcomes, lock = [], threading.Lock()

    def work(number):
        worker = Worker(os.path.join(root, "w%d" % number), keep, calm)
        os.makedirs(worker.root, exist_ok=True)
        try:
            while True:
                try:
                    seed = pending.get_nowait()
                except queue.Empty:
                    return
                outcome = worker.run(seed)
                with lock:
                    outcomes.append(outcome)
                    report(outcome)
        finally:
            worker.stop()

    threads = [threading.Thread(target=work, args=(number,)) for number in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def figures(outcomes, elapsed):
    """The closing figures, as lines."""
    faults, constructs, failed, broken = collections.Counter(), collections.Counter(), [], collections.Counter()
    for outcome in outcomes:
        faults.update(outcome.faults)
        constructs.update(outcome.scenario.constructs())
        if outcome.violations:
            failed.append(outcome)
            broken.update(set(invariant for invariant, dummy in outcome.violations))
    invariants = "; ".join(chaos_invariants.INVARIANTS)
    summary = (": " + ", ".join("%s=%d" % pair for pair in sorted(broken.items()))) if failed else ""
    lines = ["scenarios run: %d in %.0f s (%.1f s per scenario)"
             % (len(outcomes), elapsed, elapsed / max(1, len(outcomes))),
             "faults injected by kind: " + ", ".join("%s=%d" % (kind, faults[kind]) for kind in FAULT_KINDS),
             "constructs covered: " + ", ".join("%s=%d" % pair for pair in sorted(constructs.items())),
             "invariants checked: %d x %d scenarios (%s)"
             % (len(chaos_invariants.INVARIANTS), len(outcomes), invariants),
             "failures: %d scenario(s)%s" % (len(failed), summary)]
    lines.extend("  seed %d: %s | %s" % (outcome.seed, "; ".join(sorted(set(i for i, d in outcome.violations))),
                                         replay_command(outcome.seed)) for outcome in failed)
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Seeded chaos scenarios against jirasim behind a fault-injecting proxy.")
    parser.add_argument("--scenarios", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None, help="the run seed (random when unset)")
    parser.add_argument("--replay", type=int, action="append", help="run this scenario seed (repeatable)")
    parser.add_argument("--workers", type=int, default=1, help="scenarios run at once (each with its own jirasim)")
    parser.add_argument("--keep", action="store_true",
                        help="keep every scenario's directory (failing ones are always kept)")
    parser.add_argument("--calm", action="store_true", help="inject no fault (to see a scenario work)")
    options = parser.parse_args(argv)
    if options.replay:
        seeds = options.replay
        print("chaos: replaying seed(s) %s" % ", ".join(str(seed) for seed in seeds))
    else:
        run_seed = options.seed if options.seed is not None else random.SystemRandom().randint(0, 10 ** 6)
        seeds = [scenario_seed(run_seed, index) for index in range(options.scenarios)]
        print("chaos: run seed %d, %d scenario(s) (again: --seed %d)" % (run_seed, len(seeds), run_seed))
    started = time.monotonic()
    outcomes = run_seeds(seeds, options.workers, keep=options.keep, calm=options.calm)
    print("\n".join(["", "chaos figures"] + figures(outcomes, time.monotonic() - started)))
    return 1 if any(outcome.violations for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
