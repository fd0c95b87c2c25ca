"""Cloud flavor: e-mail + API token, deprecated passwords, Bearer refusal, wrong tokens served anonymously."""

import uuid

from jirasim import CLOUD_FRED_TOKEN
from jirasim.seed import CLOUD_WILMA_TOKEN

MYSELF = "/rest/api/3/myself"
FRED = ("fred@example.com", CLOUD_FRED_TOKEN)


def test_token_login_has_cloud_shape_and_headers(cloud):
    reply = cloud.get(MYSELF, auth=FRED)
    assert reply.status == 200
    assert reply.header("X-Seraph-LoginReason") == "OK"
    assert reply.header("X-AUSERNAME") is None
    assert reply.header("x-aaccountid") == "5b10a2844c20165700ede21g"
    uuid.UUID(reply.header("X-AREQUESTID"))
    data = reply.json()
    assert data["accountId"] == "5b10a2844c20165700ede21g" and data["accountType"] == "atlassian"
    assert "name" not in data and "key" not in data
    assert data["emailAddress"] == "fred@example.com"


def test_hidden_email_is_null(cloud):
    assert cloud.get(MYSELF, auth=("wilma@example.com", CLOUD_WILMA_TOKEN)).json()["emailAddress"] is None


def test_password_is_deprecated(cloud):
    reply = cloud.get(MYSELF, auth=("fred@example.com", "fred"))
    assert reply.status == 401
    assert reply.text.startswith("Basic authentication with passwords is deprecated.")
    assert "deprecation-notice-basic-auth" in reply.text


def test_token_as_bearer_is_403(cloud):
    reply = cloud.get(MYSELF, bearer=CLOUD_FRED_TOKEN)
    assert reply.status == 403
    assert reply.json() == {"error": "Failed to parse Connect Session Auth Token"}


def test_wrong_token_is_served_as_anonymous(cloud):
    bad = ("fred@example.com", "ATATT-wrong")
    info = cloud.get("/rest/api/2/serverInfo", auth=bad)
    assert info.status == 200
    assert info.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED"
    assert info.json()["deploymentType"] == "Cloud"
    assert cloud.get("/rest/api/2/project/TEST", auth=bad).status == 200
    search = cloud.get("/rest/api/3/search/jql?jql=project%3DTEST", auth=bad)
    assert search.status == 200 and search.header("X-Seraph-LoginReason") == "AUTHENTICATED_FAILED"
    me = cloud.get(MYSELF, auth=bad)
    assert me.status == 401
    assert "Client must be authenticated to access this resource." in me.text


def test_no_captcha_on_cloud(cloud):
    for dummy in range(5):
        cloud.get(MYSELF, auth=("fred@example.com", "ATATT-wrong"))
    assert cloud.get(MYSELF, auth=FRED).status == 200
    assert cloud.stats()["captcha_locked"] == []


def test_cloud_caps_max_results_at_100(cloud):
    reply = cloud.get("/rest/api/3/project/TEST/version?maxResults=500", auth=FRED)
    assert reply.json()["maxResults"] == 100


def test_cloud_issue_users_have_account_ids(cloud):
    issue = cloud.get("/rest/api/3/issue/TEST-1", auth=FRED).json()
    assert issue["fields"]["assignee"]["accountId"] == "5b10a2844c20165700ede21g"
    assert "name" not in issue["fields"]["assignee"]
