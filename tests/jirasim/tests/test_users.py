"""User search: ?username= on Data Center, ?query= (e-mail -> accountId) on Cloud."""

from conftest import FRED

from jirasim import CLOUD_FRED_TOKEN
from jirasim.seed import CLOUD_WILMA_TOKEN

CLOUD_FRED = ("fred@example.com", CLOUD_FRED_TOKEN)


def test_server_search_by_name_email_or_display_name(sim):
    for query in ("fred", "FRED@example.com", "Fred Flint"):
        found = sim.get("/rest/api/2/user/search?username=%s" % query.replace(" ", "%20"), auth=FRED)
        assert found.status == 200
        assert [user["name"] for user in found.json()] == ["fred"], query
    assert sim.get("/rest/api/2/user/search?username=nobody-like-that", auth=FRED).json() == []


def test_server_search_needs_username_and_a_login(sim):
    missing = sim.get("/rest/api/2/user/search", auth=FRED)
    assert missing.status == 400
    assert missing.json()["errorMessages"] == ["The username query parameter was not provided"]
    assert sim.get("/rest/api/2/user/search?username=fred").status == 401


def test_cloud_query_gives_the_account_id(cloud):
    found = cloud.get("/rest/api/3/user/search?query=fred@example.com", auth=CLOUD_FRED)
    assert found.status == 200
    users = found.json()
    assert [user["accountId"] for user in users] == ["5b10a2844c20165700ede21g"]
    assert "name" not in users[0] and users[0]["emailAddress"] == "fred@example.com"


def test_cloud_hidden_email_is_not_matched(cloud):
    # wilma's profile hides her e-mail address: Cloud does not find her by it.
    wilma = ("wilma@example.com", CLOUD_WILMA_TOKEN)
    assert cloud.get("/rest/api/3/user/search?query=wilma@example.com", auth=wilma).json() == []
    assert cloud.get("/rest/api/3/user/search", auth=CLOUD_FRED).status == 400
