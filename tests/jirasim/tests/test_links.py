"""Issue links: /issueLink create/read/delete, /issueLinkType, fields.issuelinks on both ends."""

from conftest import FRED, READER


def link(sim, kind="Blocks", inward="TEST-4", outward="TEST-5", auth=FRED):
    return sim.post("/rest/api/2/issueLink", {"type": {"name": kind}, "inwardIssue": {"key": inward},
                                              "outwardIssue": {"key": outward}}, auth=auth)


def links_of(sim, key):
    return sim.get("/rest/api/2/issue/%s?fields=issuelinks" % key, auth=FRED).json()["fields"]["issuelinks"]


def test_link_shows_on_both_ends_and_deletes(sim):
    created = link(sim)
    assert created.status == 201 and created.body == b""
    [on_inward] = links_of(sim, "TEST-4")
    [on_outward] = links_of(sim, "TEST-5")
    assert on_inward["type"]["outward"] == "blocks" and on_inward["outwardIssue"]["key"] == "TEST-5"
    assert on_outward["inwardIssue"]["key"] == "TEST-4" and on_outward["id"] == on_inward["id"]
    got = sim.get("/rest/api/2/issueLink/%s" % on_inward["id"], auth=FRED).json()
    assert (got["inwardIssue"]["key"] == "TEST-4" and got["outwardIssue"]["key"] == "TEST-5"
            and got["type"]["name"] == "Blocks")
    assert sim.delete("/rest/api/2/issueLink/%s" % on_inward["id"], auth=FRED).status == 204
    assert links_of(sim, "TEST-4") == [] and links_of(sim, "TEST-5") == []
    assert sim.get("/rest/api/2/issueLink/%s" % on_inward["id"], auth=FRED).status == 404


def test_link_errors(sim):
    assert link(sim, kind="Nope").status == 404
    assert link(sim, outward="TEST-999").status == 404
    assert link(sim, auth=READER).status == 403
    types = sim.get("/rest/api/2/issueLinkType", auth=FRED).json()["issueLinkTypes"]
    assert [each["name"] for each in types] == ["Blocks", "Cloners", "Duplicate", "Relates"]
