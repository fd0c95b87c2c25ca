# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run's one store (RunMemory: HMAC names, whole writes, locks) and its view of what serverInfo said about each
url (ServerInfoMemory)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import os

from ansible_collections.jiraops.jira.plugins.module_utils.rest.urls import canonical_url, normalize_base_url
from ansible_collections.jiraops.jira.plugins.plugin_utils.run_memory import RunMemory, ServerInfoMemory

CLOUD = {"deploymentType": "Cloud", "version": "1001.0.0-SNAPSHOT", "baseUrl": "https://jira.example.com"}
SERVER = {"deploymentType": "Server", "version": "9.12.4", "versionNumbers": [9, 12, 4]}


def test_remembered_per_canonical_url(tmp_path):
    deployments = ServerInfoMemory(RunMemory(str(tmp_path)))
    assert deployments.known("https://jira.example.com") is None
    deployments.remember("https://jira.example.com", CLOUD)
    assert deployments.known("HTTPS://Jira.Example.com:443/") == CLOUD
    assert deployments.known("https://other.example.com") is None
    deployments.remember("https://other.example.com", SERVER)
    assert deployments.known("https://other.example.com/.") == SERVER


def test_only_an_answer_naming_its_deployment_is_kept(tmp_path):
    deployments = ServerInfoMemory(RunMemory(str(tmp_path)))
    deployments.remember("https://jira.example.com", {"version": "9.12.4"})
    deployments.remember("https://jira.example.com", "cloud")
    deployments.remember("not a url", CLOUD)
    assert deployments.known("https://jira.example.com") is None
    assert deployments.known("not a url") is None


def test_an_answer_that_no_log_masked_is_not_kept(tmp_path):
    deployments = ServerInfoMemory(RunMemory(str(tmp_path)))
    deployments.remember("https://jira.example.com", dict(SERVER, version="9.********.4"))
    assert deployments.known("https://jira.example.com") is None


def test_a_damaged_memory_file_is_ignored(tmp_path):
    deployments = ServerInfoMemory(RunMemory(str(tmp_path)))
    directory = str(tmp_path / ServerInfoMemory.VIEW)
    deployments.remember("https://jira.example.com", CLOUD)
    (name,) = os.listdir(directory)
    for text in ("cloud", "[1, 2]", '{"deploymentType": 3}', ""):
        with open(os.path.join(directory, name), "w") as handle:
            handle.write(text)
        assert deployments.known("https://jira.example.com") is None


def test_names_are_hmacs_under_the_runs_key(tmp_path):
    one, other = RunMemory(str(tmp_path), b"a" * 32), RunMemory(str(tmp_path), b"b" * 32)
    name = one.name_for(["https://jira.example.com", "fred", "password", "s3cret"])
    assert len(name) == 64 and "s3cret" not in name and "fred" not in name
    assert name == one.name_for(["https://jira.example.com", "fred", "password", "s3cret"])
    assert name != other.name_for(["https://jira.example.com", "fred", "password", "s3cret"])
    assert RunMemory().name_for(["x"]) != RunMemory().name_for(["x"])  # a new run, a new key


def test_views_live_in_private_directories_and_files(tmp_path):
    memory = RunMemory(str(tmp_path))
    path = memory.path("jiraops_jira_view", ["a"])
    assert os.path.dirname(path) == str(tmp_path / "jiraops_jira_view")
    assert oct(os.stat(os.path.dirname(path)).st_mode & 0o777) == "0o700"
    assert memory.read(path) is None
    memory.write(path, "held_back")
    memory.write(path, "trusted")
    assert memory.read(path) == "trusted" and oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert os.listdir(os.path.dirname(path)) == [os.path.basename(path)]  # no temporary file left


def test_exclusive_holds_a_lock_until_the_block_ends(tmp_path):
    path = str(tmp_path / "lock")

    def held():
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            return True
        finally:
            os.close(fd)

    with RunMemory.exclusive(path):
        assert held()
    assert not held()


def test_server_info_is_kept_in_the_runs_store_under_an_hmac_name(tmp_path):
    memory = RunMemory(str(tmp_path), b"k" * 32)
    ServerInfoMemory(memory).remember("https://jira.example.com", CLOUD)
    (name,) = os.listdir(str(tmp_path / ServerInfoMemory.VIEW))
    assert name == memory.name_for(["server_info", canonical_url(normalize_base_url("https://jira.example.com"))])
    # Another run (another key) does not find it.
    assert ServerInfoMemory(RunMemory(str(tmp_path), b"o" * 32)).known("https://jira.example.com") is None
