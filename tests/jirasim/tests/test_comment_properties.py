"""Comment properties (/comment/{id}/properties/{key}), comments created with properties and visibility,
and expand=properties on the comment list."""

from conftest import ADMIN, FRED, READER

PROP = "/rest/api/2/comment/%s/properties/%s"


def add_comment(sim, **extra):
    body = dict({"body": "Build 42 failed."}, **extra)
    reply = sim.post("/rest/api/2/issue/TEST-2/comment", body, auth=FRED)
    assert reply.status == 201, reply.text
    return reply.json()


def test_property_put_get_list_delete(sim):
    cid = add_comment(sim)["id"]
    missing = sim.get(PROP % (cid, "ci.marker"), auth=FRED)
    assert missing.status == 404
    assert missing.json()["errorMessages"] == ["The property with key 'ci.marker' does not exist."]
    assert sim.put(PROP % (cid, "ci.marker"), {"marker": "build-42"}, auth=FRED).status == 201
    assert sim.put(PROP % (cid, "ci.marker"), {"marker": "build-43"}, auth=FRED).status == 200
    assert sim.get(PROP % (cid, "ci.marker"), auth=FRED).json() == {"key": "ci.marker", "value": {"marker": "build-43"}}
    keys = sim.get("/rest/api/2/comment/%s/properties" % cid, auth=FRED).json()["keys"]
    assert [each["key"] for each in keys] == ["ci.marker"] and keys[0]["self"].endswith(PROP % (cid, "ci.marker"))
    assert sim.delete(PROP % (cid, "ci.marker"), auth=FRED).status == 204
    assert sim.delete(PROP % (cid, "ci.marker"), auth=FRED).status == 404


def test_properties_and_visibility_on_create_and_in_the_list(sim):
    created = add_comment(sim, properties=[{"key": "ci.marker", "value": {"marker": "m1"}}],
                          visibility={"type": "role", "value": "Developers"})
    assert created["visibility"] == {"type": "role", "value": "Developers"}
    assert "properties" not in created
    listed = sim.get("/rest/api/2/issue/TEST-2/comment?expand=properties", auth=FRED).json()["comments"]
    assert listed[-1]["properties"] == [{"key": "ci.marker", "value": {"marker": "m1"}}]
    assert "properties" not in sim.get("/rest/api/2/issue/TEST-2/comment", auth=FRED).json()["comments"][-1]
    one = sim.get("/rest/api/2/issue/TEST-2/comment/%s?expand=properties" % created["id"], auth=FRED).json()
    assert one["properties"][0]["value"] == {"marker": "m1"}


def test_property_writes_need_edit_permission_and_a_visible_comment(sim):
    cid = add_comment(sim)["id"]
    assert sim.put(PROP % (cid, "k"), {"v": 1}, auth=READER).status == 403
    assert sim.put(PROP % ("99999", "k"), {"v": 1}, auth=FRED).status == 404
    assert sim.put(PROP % (cid, "k"), {"v": 1}, auth=ADMIN).status == 201
    assert sim.get(PROP % (cid, "k")).status == 200  # TEST is public: anonymous users can read
