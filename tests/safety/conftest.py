# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the safety suite (the helpers are in safety_support.py).

Everything runs against the collection installed in ANSIBLE_COLLECTIONS_PATH (``make install``), binds to
127.0.0.1 only, and writes only below pytest's tmp_path.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

from safety_support import BIN_DIR, AnsibleRunner, SecretScanner, installed_collection, self_signed_cert, start_jirasim

_TIMINGS = []


def pytest_terminal_summary(terminalreporter):
    """Print the measured timings (load test etc.), also under -q."""
    if _TIMINGS:
        terminalreporter.write_sep("-", "jiraops.jira safety timings")
        for line in _TIMINGS:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def timings():
    """A list to append human-readable timing lines to; printed in the terminal summary."""
    return _TIMINGS


@pytest.fixture(scope="session")
def ansible_env():
    """The base environment of every ansible run; skips the suite when jiraops.jira is not installed."""
    if installed_collection() is None:
        pytest.skip("jiraops.jira is not found in ANSIBLE_COLLECTIONS_PATH (run `make install` and set "
                    "ANSIBLE_COLLECTIONS_PATH=build/collections)")
    if not os.path.isfile(os.path.join(BIN_DIR, "ansible-playbook")):
        pytest.skip("ansible-playbook is not installed next to %s" % sys.executable)
    env = dict((k, v) for k, v in os.environ.items()
               if not k.startswith(("JIRA_", "JIRAOPS_", "ANSIBLE_"))
               or k in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS"))
    env.update({
        "PATH": BIN_DIR + os.pathsep + os.environ.get("PATH", ""),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_HOST_KEY_CHECKING": "0",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LC_ALL": "C.UTF-8",
    })
    return env


@pytest.fixture(scope="session")
def jirasim_factory(ansible_env):
    """start(*cli_args) -> Jirasim; every started jirasim is stopped at the end of the session."""
    started = []

    def start(*args):
        sim = start_jirasim(*args)
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


@pytest.fixture(scope="module")
def module_sim(jirasim_factory):
    """One jirasim per test module."""
    return jirasim_factory()


@pytest.fixture(scope="module")
def tls_sim(jirasim_factory, tmp_path_factory):
    """A jirasim serving HTTPS with a self-signed certificate (``tls_sim.cert``, to give as ca_path), one per test
    module."""
    cert, key = self_signed_cert(str(tmp_path_factory.mktemp("tls")))
    sim = jirasim_factory("--tls-cert", cert, "--tls-key", key)
    sim.cert = cert
    return sim


@pytest.fixture()
def sim(module_sim):
    """The module's jirasim, reset to its seeded state."""
    module_sim.reset()
    return module_sim


@pytest.fixture()
def ansible(ansible_env, tmp_path):
    """An AnsibleRunner whose runs live below this test's tmp_path."""
    return AnsibleRunner(ansible_env, str(tmp_path))


@pytest.fixture()
def run_playbook(ansible):
    """run_playbook(playbook, inventory=None, env=None, extra_args=()) -> (rc, stdout, stderr, tree results by host).

    ``ansible.playbook(...)`` gives the full RunResult (log file, results written out, temp dirs, elapsed)."""

    def run(playbook, inventory=None, env=None, extra_args=()):
        result = ansible.playbook(playbook, inventory=inventory, env=env, extra_args=extra_args)
        return result.rc, result.stdout, result.stderr, result.tree

    return run


@pytest.fixture()
def secret_scanner():
    """A fresh SecretScanner: add_basic/add_bearer/add_secret, then scan(targets) or assert_no_secrets."""
    return SecretScanner()
