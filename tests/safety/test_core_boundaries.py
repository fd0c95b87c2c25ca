# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where ansible-core itself shows a module's arguments, and that the controller path is outside it.

On the module path ansible-core packs the task's arguments, the password included, into the AnsiballZ payload it
runs on the target. Two of its own debugging switches expose that payload: ANSIBLE_DEBUG=1 prints it, and
ANSIBLE_KEEP_REMOTE_FILES=1 leaves it in the remote temp directory. No collection can mask those. The controller path
never builds a payload, so the same switches show nothing there. docs/safety.md says so; this test keeps it true
(if a future ansible-core stops exposing the payload, the module-path half fails and the page is to be updated).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from safety_support import play

SWITCHES = ("ANSIBLE_DEBUG", "ANSIBLE_KEEP_REMOTE_FILES")
# ASCII, so that the payload holds it as written (the AnsiballZ source escapes non-ASCII twice over).
PASSWORD = "Core-Boundary-Zq81Xv"


def _run(ansible, sim, secret_scanner, execution, switch):
    sim.add_user("coreuser", PASSWORD)
    secret_scanner.add_basic("coreuser", "coreuser", PASSWORD)
    task = {"name": "check",
            "jiraops.jira.jira_auth_check": {"url": "{{ url }}", "username": "coreuser", "password": "{{ P }}"}}
    variables = {"url": sim.url, "P": PASSWORD, "jiraops_jira_execution": execution}
    run = ansible.playbook([play([task], hosts="localhost")], extra_vars=variables, env={switch: "1"})
    assert run.rc == 0, "rc=%s" % run.rc  # not run.describe(): on the module path the output holds the password
    return secret_scanner.scan(run.scan_targets())


@pytest.mark.parametrize("switch", SWITCHES)
def test_controller_path_shows_nothing_under_core_debug_switches(ansible, sim, secret_scanner, switch):
    assert _run(ansible, sim, secret_scanner, "controller", switch) == []


@pytest.mark.parametrize("switch", SWITCHES)
def test_module_path_payload_is_ansible_cores_to_show(ansible, sim, secret_scanner, switch):
    hits = _run(ansible, sim, secret_scanner, "module", switch)
    places = ("remote temp left behind",) if switch == "ANSIBLE_KEEP_REMOTE_FILES" else ("in stdout", "in stderr")
    assert any(place in hit for hit in hits for place in places), hits
