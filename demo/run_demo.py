# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""make demo: start jirasim on a free port, run demo/demo.yml against it, stop jirasim."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BANNER = "jirasim listening on "


def start_jirasim():
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "tests"))
    process = subprocess.Popen([sys.executable, "-m", "jirasim", "--port", "0"], env=env, stdout=subprocess.PIPE,
                               text=True)
    line = process.stdout.readline().strip()
    if not line.startswith(BANNER):
        process.kill()
        raise SystemExit("jirasim did not start: %r" % line)
    return process, line[len(BANNER):]


def main():
    process, url = start_jirasim()
    print("jirasim (a Jira double) is at %s\n" % url, flush=True)
    try:
        command = ["ansible-playbook", os.path.join(HERE, "demo.yml"), "-e", "jira_url=%s" % url]
        return subprocess.call(command, env=dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false"))
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    sys.exit(main())
