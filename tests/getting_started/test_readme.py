# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's walkthroughs run as written, from a fresh copy of the repository, against jirasim.

Blocks after a `<!-- runnable ... -->` line run in order in one bash (`set -euo pipefail`), the way a reader
pastes them into one terminal; the only change is jirasim's port (a free one instead of 8080, which another
jirasim may hold). Blocks after `<!-- file: PATH -->` must be that file of the repository, so the README shows
what the examples directory holds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import signal
import subprocess

from support import REPO_ROOT, clean_environment, free_port, fresh_copy

README = os.path.join(REPO_ROOT, "README.md")
PASSWORD = "pa:ss:w0rd"  # jirasim's svc-ci, typed at the README's password prompts


def readme_blocks():
    """[(marker, language, text)] for every fenced block that follows a marker comment."""
    with open(README, "r", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    blocks, marker, index = [], None, 0
    while index < len(lines):
        line = lines[index]
        match = re.match(r"^<!-- (runnable|file: (\S+))\b.*-->$", line)
        if match:
            marker = match.group(2) or "runnable"
        elif line.startswith("```") and marker:
            end = lines.index("```", index + 1)
            blocks.append((marker, line[3:].strip(), "\n".join(lines[index + 1:end]) + "\n"))
            marker, index = None, end
        elif line.strip():
            marker = None  # a marker applies to the block right after it
        index += 1
    return blocks


def test_file_blocks_are_the_repository_files():
    files = [(marker, text) for marker, dummy, text in readme_blocks() if marker != "runnable"]
    assert len(files) >= 2, "the README shows the example project's files"
    for path, text in files:
        with open(os.path.join(REPO_ROOT, path), "r", encoding="utf-8") as handle:
            assert text == handle.read(), "README block for %s differs from the file" % path


def test_first_playbook_uses_a_project_jirasim_has():
    site = os.path.join(REPO_ROOT, "docs", "examples", "jira-project")
    with open(os.path.join(site, "group_vars", "all", "vars.yml"), encoding="utf-8") as handle:
        assert re.search(r"^jira_project: TEST$", handle.read(), re.MULTILINE)
    with open(os.path.join(site, "site.yml"), encoding="utf-8") as handle:
        assert "OPS" not in handle.read()


def _script(port):
    blocks = [(language, text) for marker, language, text in readme_blocks() if marker == "runnable"]
    assert len(blocks) >= 3 and set(language for language, dummy in blocks) == {"sh"}, blocks
    return "\n".join(text for dummy, text in blocks).replace("8080", str(port))


def _files(root):
    """Every file under root, outside what make install creates (build/, .venv-runtime/)."""
    found = set()
    for top, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.relpath(os.path.join(top, d), root) not in ("build", ".venv-runtime")]
        found.update(os.path.relpath(os.path.join(top, name), root) for name in names)
    return found


def test_runnable_blocks_run_against_jirasim(tmp_path):
    root = fresh_copy(str(tmp_path / "clone"))
    port = free_port()
    script = tmp_path / "readme.sh"
    script.write_text("set -euo pipefail\n" + _script(port), encoding="utf-8")
    # The example project points at jirasim's documented port: the same one change there.
    example_vars = os.path.join(root, "docs", "examples", "jira-project", "group_vars", "all", "vars.yml")
    with open(example_vars, "r+", encoding="utf-8") as handle:
        text = handle.read().replace("8080", str(port))
        handle.seek(0)
        handle.truncate()
        handle.write(text)
    before = _files(root)
    env = clean_environment(JIRASIM_PORT=str(port), TMPDIR=str(tmp_path), ANSIBLE_HOME=str(tmp_path / "ansible-home"))
    # Output to a file, not a pipe: jirasim, started in the background by the README, would hold a pipe open.
    log = tmp_path / "readme.log"
    answers = tmp_path / "answers"
    answers.write_text("%s\n" % PASSWORD * 3, encoding="utf-8")
    with open(str(log), "wb") as out, open(str(answers), "rb") as stdin:
        proc = subprocess.Popen(["bash", str(script)], cwd=root, env=env, stdin=stdin, stdout=out,
                                stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            proc.wait(600)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)  # jirasim and anything else the walkthrough left running
            proc.wait()
    output = log.read_text(encoding="utf-8", errors="replace")
    url = "http://127.0.0.1:%d" % port
    assert proc.returncode == 0, output[-6000:]
    assert output.count("JIRA AUTH OK: svc-ci on jirasim 9.12.2 (%s)" % url) == 2, output[-6000:]
    assert ("JIRA AUTH OK: svc-ci on jirasim 9.12.2 (%s) with BROWSE_PROJECTS, CREATE_ISSUES in TEST" % url) in output
    recaps = re.findall(r"^localhost +: ok=\d+ +changed=(\d+) .*failed=(\d+)", output, re.MULTILINE)
    # auth_health, site.yml (creates the issue), site.yml again (finds it), auth_health with permissions, ensure_issue
    assert recaps == [("0", "0"), ("1", "0"), ("0", "0"), ("0", "0"), ("1", "0")], output[-6000:]
    assert PASSWORD not in output
    # The walkthrough left no file in the repository: the secrets went to a directory of their own.
    assert sorted(_files(root) - before) == []
