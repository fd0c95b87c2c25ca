# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenarios drawn from a seed: who logs in how, which tasks in which constructs, and which faults the proxy injects.

``Scenario(seed)`` is deterministic: the same seed gives the same playbook, credentials and fault plan. (Under forks
the order in which requests meet the proxy's draws may differ between two runs of a seed.)
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import string

from chaos_proxy import FAULT_KINDS

FLAVORS = ("server", "server", "cloud")
SERVER_KINDS = ("password", "password", "wrong_password", "pat", "wrong_pat", "oauth_client", "wrong_oauth_client")
CLOUD_KINDS = ("cloud_token", "cloud_token", "wrong_cloud_token")
OAUTH_SALT = "oauth-client-1089"
OAUTH_SCOPES = ("read:jira-user", "read:jira-work", "write:jira-work")
CRED_SOURCES = ("options", "module_defaults", "controller_env", "target_env")
MODULES = ("auth_check", "request_get", "request_paged", "request_guarded_post", "issue_create", "comment_marker",
           "attachment")
TASK_CONSTRUCTS = ("plain", "loop", "until", "handler", "include_tasks", "block_rescue", "delegate_to", "task_timeout")
PLAY_CONSTRUCTS = ("serial", "strategy_free", "forks", "many_hosts", "adhoc")
PERMISSIONS = ["BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "ADD_COMMENTS", "EDIT_OWN_COMMENTS",
               "DELETE_OWN_COMMENTS",
               "CREATE_ATTACHMENTS", "DELETE_OWN_ATTACHMENTS", "TRANSITION_ISSUES"]
# Exchanges one task of each module may make at most (serverInfo, a guard search, pages, the write, a re-read).
EXCHANGES = {"auth_check": 3, "request_get": 2, "request_paged": 12, "request_guarded_post": 4, "issue_create": 5,
             "comment_marker": 4, "attachment": 5}
MAX_PAGES = 10
MAX_RETRY_WAIT = 1
ISSUE_FOR = {"comment_marker": "TEST-3", "attachment": "TEST-4"}


def secret(rng, prefix, exotic):
    """A distinctive secret; ``exotic`` adds ':' and non-ASCII characters (as users' passwords have)."""
    body = "".join(rng.choice(string.ascii_letters + string.digits) for dummy in range(18))
    if exotic:
        body = (body[:6] + rng.choice((":", u"\u00eb", u"\u00df:", "%")) + body[6:12]
                + rng.choice((u"\u00e4", ":", "&")) + body[12:])
    return prefix + body


class Credentials:
    """The scenario's account and the secret its tasks send (right or wrong)."""

    def __init__(self, rng, seed, flavor):
        self.flavor = flavor
        self.user = "chaos%d" % seed
        self.email = "chaos%d@example.com" % seed
        self.password = secret(rng, "Pw", rng.random() < 0.5)
        self.wrong_password = secret(rng, "Wp", rng.random() < 0.5)
        self.pat = secret(rng, "PAT", False)
        self.wrong_pat = secret(rng, "PAW", False)
        self.token = secret(rng, "ATATTchx", False)
        self.wrong_token = secret(rng, "ATATTwrx", False)
        self.kind = rng.choice(SERVER_KINDS[:5] if flavor == "server" else CLOUD_KINDS)
        self.seeded = False
        # The OAuth 2.0 kinds (2 in 7 on Server, one weight each) come from an RNG of their own, so that every other
        # draw of a seed stays as it was before they came in; its salt is one under which no fixed seed's draw
        # changes (the regression seeds keep replaying their causes). jirasim makes the client per scenario
        # (use_client); the wrong one is its client_id with the secret drawn here.
        oauth_rng = random.Random("%s:%d" % (OAUTH_SALT, seed))
        if flavor == "server" and oauth_rng.random() < 2.0 / 7:
            self.kind = oauth_rng.choice(SERVER_KINDS[5:])
        self.wrong_client_secret = secret(oauth_rng, "Cw", False)
        self.client_id = self.client_secret = None

    @property
    def bearer(self):
        return self.kind in ("pat", "wrong_pat")

    @property
    def oauth(self):
        return self.kind in ("oauth_client", "wrong_oauth_client")

    @property
    def wrong(self):
        return self.kind.startswith("wrong")

    @property
    def login(self):
        """What identifies the credential: the e-mail (Cloud), the OAuth client's id, or the user name."""
        if self.oauth:
            return self.client_id
        return self.email if self.flavor == "cloud" else self.user

    @property
    def sent_secret(self):
        return {"password": self.password, "wrong_password": self.wrong_password, "pat": self.pat,
                "wrong_pat": self.wrong_pat,
                "cloud_token": self.token, "wrong_cloud_token": self.wrong_token,
                "oauth_client": self.client_secret, "wrong_oauth_client": self.wrong_client_secret}[self.kind]

    def client_spec(self):
        """The body of POST /_jirasim/credentials for this scenario's OAuth 2.0 client (None for other kinds)."""
        if not self.oauth:
            return None
        return {"user": self.user, "kind": "oauth_client", "scopes": list(OAUTH_SCOPES)}

    def use_client(self, made):
        """Take the client jirasim made (its answer to client_spec)."""
        self.client_id, self.client_secret = made["client_id"], made["client_secret"]

    def use_seeded(self, rng):
        """Log in as one of jirasim's seeded users (tests/jirasim/README.md) instead of a fresh one: a password with
        colons or non-ASCII characters on Server, an account that hides its e-mail on Cloud."""
        self.seeded = True
        if self.flavor == "cloud":
            self.email, self.token = "wilma@example.com", "ATATT3xFfGF0wilmaTOKEN000"
        else:
            self.user, self.password = rng.choice(((u"svc-ci", u"pa:ss:w0rd"),
                                                   (u"j\u00fcrgen", u"p\u00e4ssw\u00f6rd\u2713")))

    def user_spec(self):
        """The body of POST /_jirasim/users for this scenario's account (None for a seeded user, which reset
        restores)."""
        if self.seeded:
            return None
        spec = {"name": self.user, "password": self.password, "email": self.email, "permissions": PERMISSIONS}
        if self.flavor == "cloud":
            spec["token"] = self.token
        else:
            spec["pat"] = self.pat
        return spec

    def scanned(self):
        """(label, user or None, secret) for every secret of the scenario, sent or not."""
        return [("password", self.login, self.password), ("wrong password", self.login, self.wrong_password),
                ("PAT", None, self.pat), ("wrong PAT", None, self.wrong_pat), ("token", self.email, self.token),
                ("wrong token", self.email, self.wrong_token)] + self._client_secrets()

    def _client_secrets(self):
        """The OAuth client's secrets, with base64(client_id:secret) as client_secret_basic would send them."""
        found = [("wrong client secret", self.client_id, self.wrong_client_secret)]
        if self.client_secret:
            found.append(("client secret", self.client_id, self.client_secret))
        return found


class TaskSpec:
    """One collection task of the scenario, in its construct."""

    def __init__(self, index, module, construct, seed, rng):
        self.index, self.module, self.construct = index, module, construct
        # The task keyword timeout: 1 s (short of one exchange, so Ansible kills the task mid-request when the answer is
        # late), or enough for one exchange; over a loop of 3 items half the time.
        self.task_timeout = rng.choice((1, 3))
        self.looped = construct == "task_timeout" and rng.random() < 0.5
        self.register = "r%d" % index
        self.guard = "chaos-%d-guard-%d" % (seed, index)

    def items(self):
        return 3 if self.construct == "loop" or self.looped else 1

    def attempts(self):
        return 3 if self.construct == "until" else 1


class Scenario:
    """Everything one seed decides."""

    def __init__(self, seed):
        rng = random.Random(seed)
        self.seed = seed
        self.flavor = rng.choice(FLAVORS)
        self.creds = Credentials(rng, seed, self.flavor)
        # A separate RNG, so that the draws of every other part of a seed stay as they were before seeded users came in.
        seeded_rng = random.Random("seeded-account:%d" % seed)
        if seeded_rng.random() < 0.2 and self.creds.kind in ("password", "wrong_password", "cloud_token",
                                                             "wrong_cloud_token"):
            self.creds.use_seeded(seeded_rng)
        self.source = rng.choice(CRED_SOURCES)
        if self.source == "target_env" and self.creds.bearer:
            self.source = "options"
        self.execution = "module" if self.source == "target_env" else rng.choice(("controller", "controller", "module"))
        self.adhoc = rng.random() < 0.15 and self.source != "module_defaults"
        self.hosts = (rng.choice((1, 1, 1, 2, 2, 3, 4, 8)) if self.execution == "controller"
                      else rng.choice((1, 1, 2, 3)))
        self.forks = rng.randint(1, 8)
        self.serial = rng.choice((0, 0, 0, 1, 2)) if self.hosts > 1 else 0
        if self.hosts > 4 and self.serial == 1:
            self.serial = 3
        self.strategy = "free" if rng.random() < 0.2 else "linear"
        self.timeout = rng.choice((1, 1.5, 2))
        self.retries = rng.choice((0, 1, 2, 3))
        self.verbosity = rng.choice(("", "", "-v", "-vvv"))
        self.tasks = self._draw_tasks(rng)
        self.non_jira = rng.random() < 0.15
        count = rng.randint(1, 4)
        self.fault_kinds = sorted(rng.sample(list(FAULT_KINDS), count))
        self.fault_rate = rng.choice((0.25, 0.4, 0.6))
        # Requests that pass before faults start: the credentials get proven first, so later faults meet trusted
        # traffic. Wrong credentials get no proof, so they start with faults.
        self.calm_requests = rng.choice((0, 1, 2, 4))
        if self.creds.wrong:
            self.calm_requests = 0

    def _draw_tasks(self, rng):
        if self.adhoc:
            return [TaskSpec(0, rng.choice(MODULES), "adhoc", self.seed, rng)]
        tasks = []
        for index in range(rng.choice((1, 2, 2, 3))):
            construct = rng.choice(TASK_CONSTRUCTS)
            if construct == "delegate_to" and self.source == "target_env":
                construct = "plain"
            tasks.append(TaskSpec(index, rng.choice(MODULES), construct, self.seed, rng))
        return tasks

    def constructs(self):
        """The constructs this scenario covers (for the figures)."""
        found = set(task.construct for task in self.tasks)
        found.add("execution=" + self.execution)
        found.add("credentials=" + self.source)
        found.add("secret=" + self.creds.kind)
        found.add("flavor=" + self.flavor)
        found.add("account=" + ("seeded" if self.creds.seeded else "fresh"))
        found.update("module=" + task.module for task in self.tasks)
        if self.serial:
            found.add("serial")
        if self.strategy == "free" and not self.adhoc:
            found.add("strategy_free")
        if self.forks > 1:
            found.add("forks")
        if self.hosts > 1:
            found.add("many_hosts")
        if self.non_jira:
            found.add("non_jira_api")
        return found

    def exchange_bound(self, module):
        """Seconds one task of ``module`` may take: every exchange with all its retries and retry waits (an OAuth
        client's task first asks the token endpoint for its access token: one exchange more)."""
        per_call = (self.retries + 1) * self.timeout + self.retries * MAX_RETRY_WAIT
        return (EXCHANGES[module] + (1 if self.creds.oauth else 0)) * per_call

    def invocation_bound(self, task):
        """Seconds one run of the task on one host (one loop item, one until attempt) may take."""
        bound = self.exchange_bound(task.module)
        if task.construct == "task_timeout":
            bound = min(bound, task.task_timeout + 2)
        return bound

    def task_deadline(self, task):
        """Seconds one task may take on all of a batch's hosts, one after the other (unproven credentials go one
        at a time)."""
        return self.hosts * task.items() * task.attempts() * self.invocation_bound(task)

    def deadline(self):
        """Seconds the whole run may take: every task on every host one after the other, plus Ansible's own time."""
        invocations = sum(self.hosts * task.items() * task.attempts() for task in self.tasks)
        return sum(self.task_deadline(task) for task in self.tasks) + 20 + 1.5 * invocations

    def describe(self):
        tasks = ", ".join("%s/%s" % (task.module, task.construct) for task in self.tasks)
        return ("flavor=%s path=%s creds=%s/%s hosts=%d forks=%d serial=%d strategy=%s timeout=%s retries=%d%s "
                "faults=%s@%s/calm%d%s tasks=[%s]"
                % (self.flavor, self.execution, self.source,
                   self.creds.kind + ("@seeded" if self.creds.seeded else ""), self.hosts, self.forks, self.serial,
                   self.strategy, self.timeout, self.retries, " adhoc" if self.adhoc else "",
                   "+".join(self.fault_kinds), self.fault_rate, self.calm_requests,
                   " NON-JIRA" if self.non_jira else "", tasks))


def coverage_keys(scenario):
    """What a seed covers, for choosing the fixed seeds: its constructs and the fault kinds its plan may inject."""
    keys = set(scenario.constructs())
    keys.update("fault=" + kind for kind in scenario.fault_kinds)
    if scenario.non_jira:
        keys.add("fault=non_jira")
    return keys


def cost(scenario):
    """A rough run time: task invocations (hosts x items x attempts), module path dearer."""
    per = 2 if scenario.execution == "module" else 1
    invocations = sum(scenario.hosts * task.items() * task.attempts() for task in scenario.tasks)
    return 2 + per * invocations / max(1, min(scenario.forks, scenario.hosts))


def covering_seeds(candidates, needed):
    """A greedy small set of seeds from ``candidates`` whose coverage holds ``needed``, cheap seeds first."""
    scenarios = sorted((Scenario(seed) for seed in candidates), key=cost)
    chosen, missing = [], set(needed)
    while missing:
        best = max(scenarios, key=lambda each: (len(coverage_keys(each) & missing), -cost(each)))
        gained = coverage_keys(best) & missing
        if not gained:
            break
        chosen.append(best.seed)
        missing -= gained
    return chosen, missing


def all_coverage_keys():
    """Every construct, credential source and kind, module, flavor, path and fault kind the generator can draw."""
    keys = set(TASK_CONSTRUCTS) | set(PLAY_CONSTRUCTS) | {"non_jira_api"}
    keys |= {"execution=controller", "execution=module", "flavor=server", "flavor=cloud"}
    keys |= {"credentials=" + source for source in CRED_SOURCES}
    keys |= {"secret=" + kind for kind in SERVER_KINDS + CLOUD_KINDS}
    keys |= {"module=" + module for module in MODULES}
    keys |= {"account=seeded", "account=fresh"}
    keys |= {"fault=" + kind for kind in FAULT_KINDS}
    return keys
