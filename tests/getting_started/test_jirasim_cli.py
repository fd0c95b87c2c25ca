# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make jirasim` on its documented port, one line of error on a busy port, and the runtime requirements."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import signal
import socket
import subprocess
import sys

from support import REPO_ROOT, clean_environment, free_port


def _jirasim(args, **kwargs):
    env = clean_environment(PYTHONPATH=os.path.join(REPO_ROOT, "tests"), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "jirasim"] + args, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE,
                          timeout=30, check=False, **kwargs)


def test_a_busy_port_is_one_line_not_a_traceback():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = _jirasim(["--port", str(port)])
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 1
    assert result.stdout == b""
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("jirasim: cannot listen on 127.0.0.1 port %d: " % port), stderr
    assert "--port" in stderr and "JIRASIM_PORT" in stderr


def test_make_jirasim_defaults_to_8080_and_takes_another_port():
    env = clean_environment()
    env.pop("JIRASIM_PORT", None)
    dry = subprocess.run(["make", "-s", "-n", "jirasim"], cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, check=True)
    assert b"-m jirasim --port 8080" in dry.stdout
    port = free_port()
    proc = subprocess.Popen(["make", "-s", "jirasim", "JIRASIM_PORT=%d" % port], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        banner = proc.stdout.readline().decode("utf-8").strip()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    assert banner == "jirasim listening on http://127.0.0.1:%d" % port


def _pins(name):
    with open(os.path.join(REPO_ROOT, name), "r", encoding="utf-8") as handle:
        return set(line.strip() for line in handle if line.strip() and not line.startswith("#"))


def test_runtime_requirements_are_pinned_as_the_test_ones():
    runtime = _pins("requirements.txt")
    assert any(pin.startswith("ansible-core==") for pin in runtime)
    assert sorted(runtime - _pins("requirements-dev.txt")) == []
