"""The seeded data of jirasim: users, permissions, projects, issues, versions.

Everything here is deterministic so tests can rely on exact keys and values.
"""

import base64
import binascii
import hmac
import secrets
import time
import zlib

DAY = 86400.0

# Data Center personal access tokens; only accepted as "Authorization: Bearer". Each is base64("<id>:<random>"),
# the form Data Center's PATs have, so a client finds its own token in GET /rest/pat/latest/tokens by that id.
FRED_PAT = "NzYyNjE4NDEyMzY2OkFCQ0RFRkdISUpLTE1OT1BRUlNU"  # 762618412366:..., expires 200 days after the start
FRED_PAT_SOON = "NDE4MjczNjQ1MDkxOlNPT05TT09OU09PTlNPT05TT09O"  # 418273645091:..., expires 5 days after the start
EXPIRED_PAT = "NTMwMTg0NzI2MzU0OkVYUElSRURFWFBJUkVERVhQSVJF"  # wilma's; 530184726354:..., expired the day before
# OAuth 2.0 client credentials of svc-ci on Data Center (POST /rest/oauth2/latest/token).
SERVER_OAUTH_CLIENT_ID = "5c1e7a0b9d3f4e2a8b6c0d1e2f3a4b5c"
SERVER_OAUTH_CLIENT_SECRET = "dcsecret-9f8e7d6c5b4a39281706f5e4d3c2b1a0"

# Cloud: the site's cloudId (GET /_edge/tenant_info; the gateway's /ex/jira/{cloudId}).
CLOUD_ID = "a436116f-02ce-4520-8fbb-7301462a1674"
# Classic Cloud API tokens (Basic e-mail:token on --flavor cloud, site and gateway).
CLOUD_FRED_TOKEN = "ATATT3xFfGF0fredTOKEN0000"
CLOUD_WILMA_TOKEN = "ATATT3xFfGF0wilmaTOKEN000"
CLOUD_ADMIN_TOKEN = "ATATT3xFfGF0adminTOKEN000"
EXPIRED_CLOUD_TOKEN = "ATATT3xFfGF0wilmaEXPIRED0"  # wilma's, expired the day before the start
# Scoped tokens look like classic ones: nothing in the token tells them apart (Atlassian KB, "401 Unauthorized
# error when service account accesses Jira or Confluence API").
FRED_SCOPED_TOKEN = "ATATT3xFfGF0fredSCOPED000"  # read:jira-work read:jira-user: no writes
SERVICE_ACCOUNT_EMAIL = "ci-bot@serviceaccount.atlassian.com"
SERVICE_ACCOUNT_TOKEN = "ATATT3xFfGF0cibotTOKEN000"
CLOUD_OAUTH_CLIENT_ID = "jIrAsImCl0udC1ientId0000000000aa"
CLOUD_OAUTH_CLIENT_SECRET = "ATOAjirasimCloudClientSecret00000000000000"

READ_WORK, WRITE_WORK, READ_USER = "read:jira-work", "write:jira-work", "read:jira-user"
CLASSIC_SCOPES = (READ_WORK, WRITE_WORK, READ_USER)
SERVICE_ACCOUNT_DOMAIN = "@serviceaccount.atlassian.com"

# Jira's permission keys: key -> (id, name, type).
PERMISSIONS = {
    "ADMINISTER": ("0", "Administer Jira", "GLOBAL"),
    "SYSTEM_ADMIN": ("44", "Jira System Administrators", "GLOBAL"),
    "USER_PICKER": ("27", "Browse users and groups", "GLOBAL"),
    "ADMINISTER_PROJECTS": ("23", "Administer Projects", "PROJECT"),
    "BROWSE_PROJECTS": ("10", "Browse Projects", "PROJECT"),
    "CREATE_ISSUES": ("11", "Create Issues", "PROJECT"),
    "EDIT_ISSUES": ("12", "Edit Issues", "PROJECT"),
    "ASSIGN_ISSUES": ("13", "Assign Issues", "PROJECT"),
    "RESOLVE_ISSUES": ("14", "Resolve Issues", "PROJECT"),
    "ADD_COMMENTS": ("15", "Add Comments", "PROJECT"),
    "DELETE_ISSUES": ("16", "Delete Issues", "PROJECT"),
    "ASSIGNABLE_USER": ("17", "Assignable User", "PROJECT"),
    "CLOSE_ISSUES": ("18", "Close Issues", "PROJECT"),
    "LINK_ISSUES": ("21", "Link Issues", "PROJECT"),
    "CREATE_ATTACHMENTS": ("19", "Create Attachments", "PROJECT"),
    "DELETE_ALL_ATTACHMENTS": ("38", "Delete All Attachments", "PROJECT"),
    "DELETE_OWN_ATTACHMENTS": ("39", "Delete Own Attachments", "PROJECT"),
    "EDIT_ALL_COMMENTS": ("34", "Edit All Comments", "PROJECT"),
    "EDIT_OWN_COMMENTS": ("35", "Edit Own Comments", "PROJECT"),
    "DELETE_ALL_COMMENTS": ("36", "Delete All Comments", "PROJECT"),
    "DELETE_OWN_COMMENTS": ("37", "Delete Own Comments", "PROJECT"),
    "TRANSITION_ISSUES": ("46", "Transition Issues", "PROJECT"),
}

WORKER_PERMISSIONS = frozenset([
    "LINK_ISSUES", "BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "DELETE_ISSUES", "ADD_COMMENTS",
    "TRANSITION_ISSUES", "ASSIGN_ISSUES", "ASSIGNABLE_USER", "EDIT_OWN_COMMENTS", "DELETE_OWN_COMMENTS",
    "CREATE_ATTACHMENTS", "DELETE_OWN_ATTACHMENTS",
])
ALL_PERMISSIONS = frozenset(PERMISSIONS)

ISSUE_TYPES = [
    {"id": "10000", "name": "Epic", "subtask": False, "description": "A big user story."},
    {"id": "10001", "name": "Story", "subtask": False, "description": "A user story."},
    {"id": "10002", "name": "Task", "subtask": False, "description": "A task that needs to be done."},
    {"id": "10003", "name": "Sub-task", "subtask": True, "description": "A small piece of work."},
    {"id": "10004", "name": "Bug", "subtask": False, "description": "A problem or error."},
]
PRIORITIES = [
    {"id": "1", "name": "Highest"}, {"id": "2", "name": "High"}, {"id": "3", "name": "Medium"},
    {"id": "4", "name": "Low"}, {"id": "5", "name": "Lowest"},
]
STATUS_CATEGORIES = {
    "new": {"id": 2, "key": "new", "colorName": "blue-gray", "name": "To Do"},
    "indeterminate": {"id": 4, "key": "indeterminate", "colorName": "yellow", "name": "In Progress"},
    "done": {"id": 3, "key": "done", "colorName": "green", "name": "Done"},
}
STATUSES = [
    {"id": "10000", "name": "To Do", "category": "new"},
    {"id": "3", "name": "In Progress", "category": "indeterminate"},
    {"id": "10001", "name": "Done", "category": "done"},
]
# Workflow transitions are global: every issue can move to any status.
TRANSITIONS = [
    {"id": "11", "name": "To Do", "to": "To Do"},
    {"id": "21", "name": "In Progress", "to": "In Progress"},
    # Done has a screen asking for the resolution, as Jira's default workflow does.
    {"id": "31", "name": "Done", "to": "Done", "fields": ("resolution",)},
]

SEED_EPOCH = 1704103200.0  # 2024-01-01T10:00:00Z, so seeded timestamps never change.

_TOPICS = [
    "Login page times out", "Export to CSV fails", "Dashboard loads slowly", "Typo in welcome mail",
    "Add dark mode", "Upgrade the database driver", "Flaky nightly build", "Document the REST API",
]
_LABELS = [["backend"], ["frontend", "ui"], [], ["ops"], ["backend", "perf"]]


def _crc(text):
    """A stable number for a name (hash() is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))


def pat_id(token):
    """The numeric id a Data Center PAT carries (base64 of "<id>:<random>"), or None."""
    try:
        prefix = base64.b64decode(token, validate=True).decode("ascii").split(":", 1)[0]
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return int(prefix) if prefix.isdigit() else None


def new_pat(pid):
    """A fresh Data Center PAT for the id."""
    return base64.b64encode(("%d:%s" % (pid, secrets.token_urlsafe(15))).encode("ascii")).decode("ascii")


class Credential:
    """One way a user logs in. ``secret`` is the password, token or client secret; ``scopes`` None = unscoped."""

    KINDS = ("password", "api_token", "scoped_token", "service_account_token", "pat", "oauth_client")
    SCOPED = ("scoped_token", "service_account_token", "oauth_client")

    def __init__(self, kind, secret, **extra):
        self.kind = kind
        self.secret = secret
        self.client_id = extra.get("client_id")
        scopes = extra.get("scopes")
        self.scopes = tuple(scopes) if scopes is not None else None
        self.expires_at = extra.get("expires_at")
        self.created_at = extra.get("created_at") or time.time()
        self.id = pat_id(secret) if kind == "pat" else None
        self.name = extra.get("name") or "%s token" % kind
        self.last_accessed = None

    def expired(self, now=None):
        """True once the expiry has passed."""
        return self.expires_at is not None and (now or time.time()) >= self.expires_at

    def as_dict(self, render_time):
        """The control API's view (it holds the secret: /_jirasim/users is how tests learn them)."""
        data = {"kind": self.kind, "scopes": list(self.scopes) if self.scopes is not None else None,
                "expires_at": render_time(self.expires_at) if self.expires_at is not None else None, "id": self.id}
        if self.kind == "oauth_client":
            data.update(client_id=self.client_id, client_secret=self.secret)
        else:
            data["secret"] = self.secret
        return data


class User:
    """A Jira user; the secrets live only here and are never rendered or logged."""

    def __init__(self, name, password, **extra):
        self.name = name
        self.password = password
        self.credentials = [Credential("password", password)] if password is not None else []
        if extra.get("pat"):
            self.credentials.append(Credential("pat", extra["pat"]))
        if extra.get("cloud_token"):
            self.credentials.append(Credential("api_token", extra["cloud_token"]))
        self.key = extra.get("key") or "JIRAUSER%d" % (10100 + _crc(name) % 89000)
        self.email = extra.get("email") or "%s@example.com" % name
        self.display_name = extra.get("display_name") or name
        self.permissions = frozenset(extra.get("permissions", WORKER_PERMISSIONS))
        self.account_id = extra.get("account_id") or "5b10a2844c2016570%07x" % (_crc(name) % 0xFFFFFFF)
        self.email_visible = extra.get("email_visible", True)
        admin = "ADMINISTER" in self.permissions
        self.groups = ["jira-administrators", "jira-software-users"] if admin else ["jira-software-users"]
        self.account_type = "app" if self.email.endswith(SERVICE_ACCOUNT_DOMAIN) else "atlassian"

    def matching(self, kinds, secret):
        """The credential of one of ``kinds`` whose secret is ``secret`` (constant time per credential), or None."""
        found = None
        for credential in self.credentials:
            if credential.kind in kinds and same_secret(secret, credential.secret):
                found = credential
        return found

    def client(self, client_id):
        """The OAuth 2.0 client credential with this client id, or None."""
        return next((each for each in self.credentials if each.kind == "oauth_client" and
                     same_secret(client_id, each.client_id)), None)

    def has(self, permission):
        """True when the user holds the permission (administrators hold every one)."""
        return permission in self.permissions or "ADMINISTER" in self.permissions


class Project:
    """A Jira project; anonymous users may browse it only when it is public."""

    def __init__(self, pid, key, name, **extra):
        self.id = str(pid)
        self.key = key
        self.name = name
        self.description = extra.get("description", "")
        self.lead = extra.get("lead", "admin")
        self.public = extra.get("public", False)
        self.issue_seq = 0
        self.versions = []


class Issue:
    """A Jira issue with the handful of fields jirasim models."""

    def __init__(self, iid, key, project, fields):
        self.id = str(iid)
        self.key = key
        self.project = project
        self.number = int(key.rsplit("-", 1)[1])
        self.summary = fields["summary"]
        self.description = fields.get("description")  # a string, or the ADF document a v3 client sent
        self.environment = fields.get("environment")
        self.issuetype = fields.get("issuetype", "Task")
        self.priority = fields.get("priority", "Medium")
        self.labels = list(fields.get("labels", []))
        self.assignee = fields.get("assignee")
        self.reporter = fields.get("reporter")
        self.status = fields.get("status", "To Do")
        self.created = fields.get("created", time.time())
        self.updated = self.created
        self.resolved = self.created if self.status == "Done" else None
        self.comments = []
        self.attachments = []  # {"id", "filename", "data", "mime", "author", "created"}


def same_secret(given, expected):
    """Constant-time comparison of two secrets (None never matches)."""
    if expected is None or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def seed_users(cloud=False, now=None):
    """The seeded users, keyed by user name, with the credentials of the flavor; expiries count from ``now``."""
    users = [
        User("fred", "fred", key="JIRAUSER10000", display_name="Fred Flintstone",
             account_id="5b10a2844c20165700ede21g"),
        User("admin", "admin", key="JIRAUSER10001", display_name="Jira Administrator", permissions=ALL_PERMISSIONS,
             account_id="5b10ac8d82e05b22cc7d4ef5"),
        User("reader", "reader", key="JIRAUSER10002", display_name="Read Only", permissions=["BROWSE_PROJECTS"],
             account_id="5b109f2e9729b51b54dc274d"),
        User("jürgen", "pässwörd✓", key="JIRAUSER10003", display_name="Jürgen Groß", email="juergen@example.com",
             account_id="5b10a0effa615349cb016cd8"),
        User("svc-ci", "pa:ss:w0rd", key="JIRAUSER10004", display_name="CI Service Account",
             account_id="5b10ac8d82e05b22cc7d4ef6"),
        User("wilma", "wilma", key="JIRAUSER10005", display_name="Wilma Flintstone",
             account_id="5b10a2844c20165700ede22h", email_visible=False),
    ]
    by_name = {user.name: user for user in users}
    now = now or time.time()
    if cloud:
        _cloud_credentials(by_name, now)
    else:
        _server_credentials(by_name, now)
    return by_name


def _server_credentials(users, now):
    users["fred"].credentials += [
        Credential("pat", FRED_PAT, name="ci", created_at=now - 165 * DAY, expires_at=now + 200 * DAY),
        Credential("pat", FRED_PAT_SOON, name="nightly", created_at=now - 85 * DAY, expires_at=now + 5 * DAY)]
    users["wilma"].credentials.append(
        Credential("pat", EXPIRED_PAT, name="old", created_at=now - 91 * DAY, expires_at=now - DAY))
    users["svc-ci"].credentials.append(
        Credential("oauth_client", SERVER_OAUTH_CLIENT_SECRET, client_id=SERVER_OAUTH_CLIENT_ID))


def _cloud_credentials(users, now):
    year = now + 365 * DAY
    users["fred"].credentials += [Credential("api_token", CLOUD_FRED_TOKEN),
                                  Credential("scoped_token", FRED_SCOPED_TOKEN, scopes=(READ_WORK, READ_USER),
                                             expires_at=year)]
    users["admin"].credentials.append(Credential("api_token", CLOUD_ADMIN_TOKEN))
    users["wilma"].credentials += [Credential("api_token", CLOUD_WILMA_TOKEN),
                                   Credential("api_token", EXPIRED_CLOUD_TOKEN, created_at=now - 366 * DAY,
                                              expires_at=now - DAY)]
    bot = User("ci-bot", None, key="JIRAUSER10006", display_name="CI Bot", email=SERVICE_ACCOUNT_EMAIL,
               account_id="5b10ac8d82e05b22cc7d4ef7")
    bot.credentials += [Credential("service_account_token", SERVICE_ACCOUNT_TOKEN, scopes=CLASSIC_SCOPES,
                                   expires_at=year),
                        Credential("oauth_client", CLOUD_OAUTH_CLIENT_SECRET, client_id=CLOUD_OAUTH_CLIENT_ID,
                                   scopes=CLASSIC_SCOPES)]
    users[bot.name] = bot


def _seed_versions(project, first_id, count):
    for index in range(count):
        released = index < count * 2 // 3
        project.versions.append({
            "id": str(first_id + index), "name": "%d.%d" % (1 + index // 10, index % 10),
            "description": "Release %d of %s" % (index + 1, project.key), "archived": False,
            "released": released, "releaseDate": "2023-%02d-15" % (1 + index % 12), "projectId": int(project.id),
        })


def seed_projects():
    """The seeded projects: TEST is public (anonymous can browse), PRIV is not."""
    test = Project(10000, "TEST", "Test Project", description="The public project of jirasim.", lead="fred",
                   public=True)
    priv = Project(10001, "PRIV", "Private Project", description="Only logged-in users can see this.", lead="admin")
    _seed_versions(test, 10100, 30)
    _seed_versions(priv, 10200, 2)
    return {test.key: test, priv.key: priv}


def seed_issue_fields(number):
    """Deterministic field values for the seeded issue TEST-<number>."""
    status = "Done" if number % 5 == 0 else ("In Progress" if number % 3 == 0 else "To Do")
    return {
        "summary": "%s (#%d)" % (_TOPICS[(number - 1) % len(_TOPICS)], number),
        "description": "Seeded issue number %d." % number,
        "issuetype": "Bug" if number % 4 == 0 else "Task",
        "priority": PRIORITIES[number % len(PRIORITIES)]["name"],
        "labels": _LABELS[(number - 1) % len(_LABELS)],
        "assignee": "fred" if number % 2 else None,
        "reporter": "admin",
        "status": status,
        "created": SEED_EPOCH + number * 60,
    }
