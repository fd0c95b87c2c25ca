# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' EXAMPLES run as written against jirasim, and ansible-doc renders every module.

Run by `make docs-check` with ANSIBLE_COLLECTIONS_PATH pointing at the installed collection.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = ("jira_attachment", "jira_auth_check", "jira_comment", "jira_issue", "jira_request")
FRED_PAT = "NzYyNjE4NDEyMzY2OkFCQ0RFRkdISUpLTE1OT1BRUlNU"
# svc-ci's OAuth 2.0 client on jirasim's server flavor (tests/jirasim/seed.py, SERVER_OAUTH_CLIENT_*)
OAUTH_CLIENT = dict(jira_client_id="5c1e7a0b9d3f4e2a8b6c0d1e2f3a4b5c",
                    jira_client_secret="dcsecret-9f8e7d6c5b4a39281706f5e4d3c2b1a0")

pytestmark = pytest.mark.skipif(not os.environ.get("ANSIBLE_COLLECTIONS_PATH"), reason="needs the installed collection")


def module_constant(module, name):
    """A module's DOCUMENTATION/EXAMPLES/RETURN string, read without importing it."""
    with open(os.path.join(ROOT, "plugins", "modules", module + ".py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return node.value.value
    raise AssertionError("%s has no %s" % (module, name))


@pytest.fixture
def jirasim():
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "tests"))
    process = subprocess.Popen([sys.executable, "-m", "jirasim", "--port", "0"], env=env, stdout=subprocess.PIPE,
                               text=True)
    banner = process.stdout.readline().strip()
    assert banner.startswith("jirasim listening on "), banner
    yield banner.rsplit(" ", 1)[1]
    process.terminate()
    process.wait(10)


@pytest.mark.parametrize("module", MODULES)
def test_examples_run_as_written(module, jirasim, tmp_path):
    tasks = "\n".join("    " + line if line else line for line in module_constant(module, "EXAMPLES").splitlines())
    playbook = tmp_path / "examples.yml"
    playbook.write_text("- name: EXAMPLES of %s\n  hosts: localhost\n  gather_facts: false\n  tasks:\n%s\n"
                        % (module, tasks))
    variables = dict(OAUTH_CLIENT, jira_url=jirasim, jira_username="svc-ci", jira_password="pa:ss:w0rd",
                     jira_token=FRED_PAT)
    run = subprocess.run(["ansible-playbook", str(playbook), "-e", json.dumps(variables)], capture_output=True,
                         text=True,
                         env=dict(os.environ, ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_NOCOLOR="1"), timeout=300,
                         check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "failed=0" in run.stdout


@pytest.mark.parametrize("module", MODULES)
def test_ansible_doc_renders(module):
    run = subprocess.run(["ansible-doc", "jiraops.jira." + module], capture_output=True, text=True, timeout=120,
                         check=False,
                         env=dict(os.environ, ANSIBLE_NOCOLOR="1", PAGER="cat"))
    assert run.returncode == 0, run.stderr
    assert "EXAMPLES:" in run.stdout and "RETURN VALUES:" in run.stdout
    assert "url" in run.stdout and "JIRA_URL" in run.stdout
