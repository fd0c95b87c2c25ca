"""The seeded data of jirasim: users, permissions, projects, issues, versions.

Everything here is deterministic so tests can rely on exact keys and values.
"""

import time
import zlib

# A Data Center personal access token for fred; only accepted as "Authorization: Bearer".
FRED_PAT = "NzYyNjE4NDEyMzY2OkFCQ0RFRkdISUpLTE1OT1BRUlNU"
# Cloud API tokens (Basic e-mail:token on --flavor cloud).
CLOUD_FRED_TOKEN = "ATATT3xFfGF0fredTOKEN0000"
CLOUD_WILMA_TOKEN = "ATATT3xFfGF0wilmaTOKEN000"
CLOUD_ADMIN_TOKEN = "ATATT3xFfGF0adminTOKEN000"

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


class User:
    """A Jira user; the secrets live only here and are never rendered or logged."""

    def __init__(self, name, password, **extra):
        self.name = name
        self.password = password
        self.key = extra.get("key") or "JIRAUSER%d" % (10100 + _crc(name) % 89000)
        self.email = extra.get("email") or "%s@example.com" % name
        self.display_name = extra.get("display_name") or name
        self.permissions = frozenset(extra.get("permissions", WORKER_PERMISSIONS))
        self.pat = extra.get("pat")
        self.cloud_token = extra.get("cloud_token")
        self.account_id = extra.get("account_id") or "5b10a2844c2016570%07x" % (_crc(name) % 0xFFFFFFF)
        self.email_visible = extra.get("email_visible", True)
        admin = "ADMINISTER" in self.permissions
        self.groups = ["jira-administrators", "jira-software-users"] if admin else ["jira-software-users"]

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


def seed_users():
    """The seeded users, keyed by user name."""
    users = [
        User("fred", "fred", key="JIRAUSER10000", display_name="Fred Flintstone", pat=FRED_PAT,
             cloud_token=CLOUD_FRED_TOKEN, account_id="5b10a2844c20165700ede21g"),
        User("admin", "admin", key="JIRAUSER10001", display_name="Jira Administrator", permissions=ALL_PERMISSIONS,
             cloud_token=CLOUD_ADMIN_TOKEN, account_id="5b10ac8d82e05b22cc7d4ef5"),
        User("reader", "reader", key="JIRAUSER10002", display_name="Read Only", permissions=["BROWSE_PROJECTS"],
             account_id="5b109f2e9729b51b54dc274d"),
        User("jürgen", "pässwörd✓", key="JIRAUSER10003", display_name="Jürgen Groß", email="juergen@example.com",
             account_id="5b10a0effa615349cb016cd8"),
        User("svc-ci", "pa:ss:w0rd", key="JIRAUSER10004", display_name="CI Service Account",
             account_id="5b10ac8d82e05b22cc7d4ef6"),
        User("wilma", "wilma", key="JIRAUSER10005", display_name="Wilma Flintstone", cloud_token=CLOUD_WILMA_TOKEN,
             account_id="5b10a2844c20165700ede22h", email_visible=False),
    ]
    return {user.name: user for user in users}


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
