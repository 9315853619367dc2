"""The forbidden-phrase list of each organisation (服务忌语 with their 服务用语): read by its
people, edited by its service manager or general manager, validated field by field, and used by
the guard as soon as it changes."""

from typing import Any

import pytest

from kesu.complaints.tests.factories import make_complaint
from kesu.language.models import ForbiddenPhrase

pytestmark = pytest.mark.django_db

PHRASES = "/api/v1/language/phrases"
# An organisation's own ban (an absolute promise), not a brush-off: neither the seed list nor the
# learned reading knows it.
NEW = {"phrase": "包您满意", "alternative": "我们会尽力让您满意", "situation": "extra_request"}
NEW_TEXT = "放心吧，这次修完包您满意"


def wording_hits(api: Any, user: str, text: str) -> list[dict[str, Any]]:
    """Hits found by a listed wording (not by the learned reading, which knows no migration)."""
    return [hit for hit in check(api, user, text)["hits"] if hit["reading"] == "wording"]


def delete(client: Any, path: str) -> Any:
    return client.client.delete(path, **client.headers)


def check(api: Any, username: str, text: str) -> dict[str, Any]:
    response = api(username).post("/api/v1/language/check", {"text": text})
    assert response.status_code == 200
    return response.json()


def phrases_of(api: Any, username: str, **query: int) -> dict[str, dict[str, Any]]:
    suffix = "".join(f"?{k}={v}" for k, v in query.items())
    response = api(username).get(PHRASES + suffix)
    assert response.status_code == 200
    return {row["phrase"]: row for row in response.json()}


def seeded_impossible(api: Any) -> dict[str, Any]:
    return phrases_of(api, "manager1")["这不可能"]


# --- reading ----------------------------------------------------------------------------------


def test_every_dealer_starts_with_the_seed_list_each_with_its_alternative(demo, api):
    listed = phrases_of(api, "agent1")
    assert "这不可能" in listed and "你讲不讲道理" in listed
    assert listed["这不可能"]["alternative"] == "我一定尽力"
    assert all(row["seeded"] and row["alternative"] and row["is_active"] for row in listed.values())
    assert {row["organization_id"] for row in listed.values()} == {demo.dealers["D1"].pk}
    assert set(phrases_of(api, "agent2")) == set(listed)  # the same seeds, a list of its own


# --- creating -------------------------------------------------------------------------------


def test_a_manager_adds_a_phrase_and_the_guard_uses_it_at_once(demo, api):
    assert check(api, "agent1", NEW_TEXT)["ok"] is True
    response = api("manager1").post(PHRASES, NEW)
    assert response.status_code == 201
    created = response.json()
    assert {k: created[k] for k in NEW} == NEW
    assert created["seeded"] is False and created["organization_id"] == demo.dealers["D1"].pk
    result = check(api, "agent1", NEW_TEXT)
    assert result["ok"] is False
    [hit] = [h for h in result["hits"] if h["phrase"] == NEW["phrase"]]
    assert hit["suggestion"] == NEW["alternative"]
    assert NEW_TEXT[hit["start"] : hit["end"]] == hit["matched"]
    # replies from the dealer's complaints are held to it; another dealer's list is unchanged
    complaint = make_complaint(demo, 1, verbatim="配件一直不到")
    blocked = api("agent1").post(f"/api/v1/language/complaints/{complaint.pk}/replies", {"text": NEW_TEXT})
    assert blocked.status_code == 422 and blocked.json()["error"]["code"] == "forbidden_phrase"
    assert NEW["phrase"] not in phrases_of(api, "agent2")
    assert all(h["phrase"] != NEW["phrase"] for h in check(api, "agent2", NEW_TEXT)["hits"])


@pytest.mark.parametrize("alternative", [None, "", "   "])
def test_an_entry_without_its_alternative_is_refused_naming_the_field(demo, api, alternative):
    body = {k: v for k, v in NEW.items() if k != "alternative"}
    if alternative is not None:
        body["alternative"] = alternative
    before = set(phrases_of(api, "manager1"))
    response = api("manager1").post(PHRASES, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["alternative"]
    assert error["message"] == error["fields"]["alternative"]
    assert set(phrases_of(api, "manager1")) == before
    assert check(api, "agent1", NEW_TEXT)["ok"] is True


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"phrase": ""}, "phrase"),
        ({"phrase": "忌" * 101}, "phrase"),
        ({"phrase": "这不可能"}, "phrase"),  # already in the list
        ({"alternative": "好" * 301}, "alternative"),
        ({"situation": "party"}, "situation"),
        ({"pattern": "滚"}, "pattern"),  # one character would match almost anything
        ({"exceptions": "的"}, "exceptions"),
    ],
)
def test_an_entry_with_a_problem_is_refused_naming_the_field(demo, api, changes, field):
    before = set(phrases_of(api, "manager1"))
    response = api("manager1").post(PHRASES, {**NEW, **changes})
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert set(phrases_of(api, "manager1")) == before
    assert api("manager1").post(PHRASES, NEW).status_code == 201


@pytest.mark.parametrize(
    "username, status", [("agent1", 403), ("dept1", 403), ("region1", 403), ("manager2", 404)]
)
def test_only_the_dealers_managers_add_to_its_list(demo, api, username, status):
    before = ForbiddenPhrase.objects.count()
    response = api(username).post(PHRASES, {**NEW, "organization_id": demo.dealers["D1"].pk})
    assert response.status_code == status
    assert ForbiddenPhrase.objects.count() == before
    assert NEW["phrase"] not in phrases_of(api, "agent1")
    assert api("manager1").post(PHRASES, {**NEW, "organization_id": demo.dealers["D1"].pk}).status_code == 201


def test_the_general_manager_and_the_administrator_may_add(demo, api):
    assert api("gm1").post(PHRASES, NEW).status_code == 201
    no_org = api("admin").post(PHRASES, {**NEW, "phrase": "你自己去问"})
    assert no_org.status_code == 422 and "organization_id" in no_org.json()["error"]["fields"]
    chosen = api("admin").post(
        PHRASES, {**NEW, "phrase": "你自己去问", "organization_id": demo.dealers["D2"].pk}
    )
    assert chosen.status_code == 201
    assert "你自己去问" in phrases_of(api, "agent2") and "你自己去问" not in phrases_of(api, "agent1")


# --- changing and removing ------------------------------------------------------------------


def test_a_changed_alternative_is_what_the_guard_suggests(demo, api):
    entry = seeded_impossible(api)
    response = api("manager1").patch(f"{PHRASES}/{entry['id']}", {"alternative": "我一定尽力帮您争取"})
    assert response.status_code == 200 and response.json()["alternative"] == "我一定尽力帮您争取"
    hits = check(api, "agent1", "这不可能")["hits"]
    assert [h["suggestion"] for h in hits if h["phrase"] == "这不可能"] == ["我一定尽力帮您争取"]
    # the other dealer keeps the seed wording
    assert phrases_of(api, "agent2")["这不可能"]["alternative"] == "我一定尽力"


@pytest.mark.parametrize(
    "changes, field", [({"alternative": ""}, "alternative"), ({"alternative": None}, "alternative")]
)
def test_the_alternative_cannot_be_removed(demo, api, changes, field):
    entry = seeded_impossible(api)
    response = api("manager1").patch(f"{PHRASES}/{entry['id']}", changes)
    assert response.status_code == 422 and field in response.json()["error"]["fields"]
    assert seeded_impossible(api)["alternative"] == "我一定尽力"
    assert api("manager1").patch(f"{PHRASES}/{entry['id']}", {"alternative": "我尽力"}).status_code == 200


def test_renaming_a_phrase_to_one_already_listed_is_refused(demo, api):
    entry = seeded_impossible(api)
    response = api("manager1").patch(f"{PHRASES}/{entry['id']}", {"phrase": "不行"})
    assert response.status_code == 422 and "phrase" in response.json()["error"]["fields"]
    listed = phrases_of(api, "manager1")
    assert listed["这不可能"]["id"] == entry["id"] and listed["不行"]["id"] != entry["id"]
    assert api("manager1").patch(f"{PHRASES}/{entry['id']}", {"situation": "explanation"}).status_code == 200


def test_a_deactivated_phrase_no_longer_blocks(demo, api):
    entry = seeded_impossible(api)
    assert check(api, "agent1", "这不可能")["ok"] is False
    response = api("manager1").patch(f"{PHRASES}/{entry['id']}", {"is_active": False})
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert check(api, "agent1", "这不可能")["ok"] is True
    assert check(api, "agent2", "这不可能")["ok"] is False  # only this dealer's list changed
    api("manager1").patch(f"{PHRASES}/{entry['id']}", {"is_active": True})
    assert check(api, "agent1", "这不可能")["ok"] is False


def test_a_removed_phrase_is_gone_from_the_list_and_the_guard(demo, api):
    created = api("manager1").post(PHRASES, NEW).json()
    assert check(api, "agent1", NEW_TEXT)["ok"] is False
    assert delete(api("manager1"), f"{PHRASES}/{created['id']}").status_code == 204
    assert api("manager1").get(f"{PHRASES}/{created['id']}").status_code == 404
    assert NEW["phrase"] not in phrases_of(api, "agent1")
    assert check(api, "agent1", NEW_TEXT)["ok"] is True


# --- scope ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["agent2", "manager2", "gm2", "manager3", "region2"])
def test_another_dealers_people_get_404_on_this_dealers_phrases_and_nothing_changes(demo, api, username):
    entry = seeded_impossible(api)
    url = f"{PHRASES}/{entry['id']}"
    client = api(username)
    before = list(ForbiddenPhrase.objects.filter(organization=demo.dealers["D1"]).values().order_by("pk"))
    assert client.get(url).status_code == 404
    assert client.patch(url, {"alternative": "随便"}).status_code == 404
    assert client.patch(url, {"is_active": False}).status_code == 404
    assert delete(client, url).status_code == 404
    assert client.get(f"{PHRASES}?organization_id={demo.dealers['D1'].pk}").status_code == 404
    after = list(ForbiddenPhrase.objects.filter(organization=demo.dealers["D1"]).values().order_by("pk"))
    assert after == before
    assert check(api, "agent1", "这不可能")["ok"] is False
    assert api("manager1").get(url).status_code == 200


def test_the_region_manager_reads_the_dealers_list_but_does_not_edit_it(demo, api):
    entry = seeded_impossible(api)
    url = f"{PHRASES}/{entry['id']}"
    region = api("region1")
    assert region.get(url).status_code == 200
    assert "这不可能" in phrases_of(api, "region1", organization_id=demo.dealers["D1"].pk)
    assert region.patch(url, {"is_active": False}).status_code == 403
    assert delete(region, url).status_code == 403
    assert seeded_impossible(api)["is_active"] is True
    assert api("region1").get(f"{PHRASES}?organization_id={demo.dealers['D3'].pk}").status_code == 404


# --- paraphrases and polite contexts (issue 15) --------------------------------------------------


def test_seeded_phrases_carry_their_paraphrases_and_polite_contexts(demo, api):
    listed = phrases_of(api, "agent1")
    dont_know = listed["不知道"]
    assert "我怎么知道" in dont_know["variants"] and "帮你…查" in dont_know["polite_after"]
    assert "您…觉得" in listed["不行"]["polite_before"]
    assert listed["喂……"]["polite_after"] == "您好"


def test_a_manager_edits_a_polite_context_and_the_guard_follows_at_once(demo, api):
    text = "不知道，等仓库回话吧"
    assert check(api, "agent1", text)["ok"] is False
    entry = phrases_of(api, "manager1")["不知道"]
    response = api("manager1").patch(f"{PHRASES}/{entry['id']}", {"polite_after": "等仓库回话"})
    assert response.status_code == 200 and response.json()["polite_after"] == "等仓库回话"
    assert check(api, "agent1", text)["ok"] is True
    assert check(api, "agent2", text)["ok"] is False  # another dealer's list is its own


def test_a_manager_adds_a_paraphrase_and_the_guard_catches_it(demo, api):
    text = "这事儿轮不到我们操心"
    assert not wording_hits(api, "agent1", text)  # the learned reading may flag it, no wording does
    entry = phrases_of(api, "manager1")["这不关我的事"]
    variants = entry["variants"] + "|轮不到我们操心"
    assert api("manager1").patch(f"{PHRASES}/{entry['id']}", {"variants": variants}).status_code == 200
    [hit] = check(api, "agent1", text)["hits"]
    assert hit["phrase"] == "这不关我的事"
    assert text[hit["start"] : hit["end"]] == hit["matched"] == "轮不到我们操心"


@pytest.mark.parametrize("field", ["variants", "polite_before", "polite_after"])
def test_a_context_field_that_cannot_be_used_is_refused_naming_it(demo, api, field):
    entry = phrases_of(api, "manager1")["不行"]
    before = ForbiddenPhrase.objects.get(pk=entry["id"])
    response = api("manager1").patch(f"{PHRASES}/{entry['id']}", {field: "查"})
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    response = api("manager1").patch(f"{PHRASES}/{entry['id']}", {field: "字" * 1001})
    assert response.status_code == 422 and field in response.json()["error"]["fields"]
    after = ForbiddenPhrase.objects.get(pk=entry["id"])
    assert getattr(after, field) == getattr(before, field)


def test_the_data_migration_fills_seeded_rows_left_empty_and_leaves_edited_ones(demo, api):
    import importlib

    from django.apps import apps

    from kesu.language.models import LanguageProfile

    phrases_of(api, "agent1")  # seeds the list
    rows = ForbiddenPhrase.objects.filter(organization=demo.dealers["D1"])
    rows.update(variants="", polite_before="", polite_after="")
    edited = rows.get(seed_key="no_way")
    edited.polite_before = "您嫌"
    edited.save()
    stamp = LanguageProfile.objects.get(organization=demo.dealers["D1"]).stamp
    migration = importlib.import_module("kesu.language.migrations.0004_seed_phrase_context")
    migration.fill(apps, None)
    assert rows.get(seed_key="dont_know").polite_after != ""
    assert rows.get(seed_key="no_way").polite_before == "您嫌"
    assert LanguageProfile.objects.get(organization=demo.dealers["D1"]).stamp != stamp


def test_the_fresh_sets_migration_updates_seeded_values_and_leaves_edited_ones(demo, api):
    import importlib

    from django.apps import apps

    from kesu.language.models import LanguageProfile

    migration = importlib.import_module("kesu.language.migrations.0005_seed_paraphrases_fresh_sets")
    phrases_of(api, "agent1")  # seeds the list (already with the new values)
    rows = ForbiddenPhrase.objects.filter(organization=demo.dealers["D1"])
    for seed_key, fields in migration.CHANGES.items():  # as a list seeded before 0005 holds them
        rows.filter(seed_key=seed_key).update(**{field: old for field, (old, _) in fields.items()})
    rows.filter(seed_key="no_way").update(polite_after="的话|您放心")  # an organisation's own edit
    assert check(api, "agent1", "电瓶已经不行了，这次给您免费换新的")["ok"] is False
    stamp = LanguageProfile.objects.get(organization=demo.dealers["D1"]).stamp
    migration.forward(apps, None)
    dont_know = rows.get(seed_key="dont_know")
    assert dont_know.variants == migration.CHANGES["dont_know"]["variants"][1]
    assert rows.get(seed_key="no_way").polite_after == "的话|您放心"
    assert rows.get(seed_key="no_way").polite_before == migration.CHANGES["no_way"]["polite_before"][1]
    assert LanguageProfile.objects.get(organization=demo.dealers["D1"]).stamp != stamp
    assert check(api, "agent1", "电瓶已经不行了，这次给您免费换新的")["ok"] is True  # worn part
    assert check(api, "agent1", "不造，你问销售去")["ok"] is False  # a new paraphrase
    migration.backward(apps, None)
    assert rows.get(seed_key="dont_know").variants == migration.CHANGES["dont_know"]["variants"][0]


def _seeded_before(name, demo, api, *, own_edit):
    """Migration ``name``, and D1's list as one seeded before it holds it, with one field the
    organisation edited itself (``own_edit``: seed key, field, value)."""
    import importlib

    migration = importlib.import_module(f"kesu.language.migrations.{name}")
    phrases_of(api, "agent1")  # seeds the list (already with the new values)
    rows = ForbiddenPhrase.objects.filter(organization=demo.dealers["D1"])
    for seed_key, fields in migration.CHANGES.items():
        rows.filter(seed_key=seed_key).update(**{field: old for field, (old, _) in fields.items()})
    seed_key, field, value = own_edit
    rows.filter(seed_key=seed_key).update(**{field: value})
    return migration, rows


def _stamp(demo):
    from kesu.language.models import LanguageProfile

    return LanguageProfile.objects.get(organization=demo.dealers["D1"]).stamp


def test_the_sixth_round_migration_updates_seeded_values_and_leaves_edited_ones(demo, api):
    from django.apps import apps

    migration, rows = _seeded_before(
        "0006_seed_phrases_without_you_fresh5", demo, api, own_edit=("just_wait", "variants", "只有等")
    )
    assert not wording_hits(api, "agent1", "没办法，总部不批")  # the learned reading may flag it
    stamp = _stamp(demo)
    migration.forward(apps, None)
    assert rows.get(seed_key="no_choice").variants == migration.CHANGES["no_choice"]["variants"][1]
    assert rows.get(seed_key="just_wait").variants == "只有等"
    assert _stamp(demo) != stamp
    assert wording_hits(api, "agent1", "没办法，总部不批")  # bare 没办法
    assert check(api, "agent1", "您说没办法约上时间，我帮您安排")["ok"] is True
    migration.backward(apps, None)
    assert rows.get(seed_key="no_choice").variants == migration.CHANGES["no_choice"]["variants"][0]


def test_the_seventh_round_migration_updates_seeded_values_and_leaves_edited_ones(demo, api):
    from django.apps import apps

    migration, rows = _seeded_before(
        "0007_seed_reported_and_results_fresh6", demo, api, own_edit=("only_this", "polite_after", "我…帮你")
    )
    text = "保修能不能延长我还不知道，下周开完会给您个准话"
    assert check(api, "agent1", text)["ok"] is False
    stamp = _stamp(demo)
    migration.forward(apps, None)
    assert rows.get(seed_key="no_way").polite_before == migration.CHANGES["no_way"]["polite_before"][1]
    assert rows.get(seed_key="only_this").polite_after == "我…帮你"
    assert _stamp(demo) != stamp
    assert check(api, "agent1", text)["ok"] is True  # a firm answer promised
    assert check(api, "agent1", "自己的问题自己解决")["ok"] is False  # a new paraphrase
    migration.backward(apps, None)
    assert rows.get(seed_key="dont_know").exceptions == migration.CHANGES["dont_know"]["exceptions"][0]


@pytest.mark.parametrize(
    ("name", "promise", "paraphrase", "restored"),
    [
        # a promise through a channel; a new paraphrase; a field brought back on the way down
        (
            "0008_seed_promises_reports_fresh7",
            "新件几号到我还不知道，明早问完仓库发您短信",
            "你还要说多久啊",
            ("go_complain", "exceptions"),
        ),
        # an act begun now
        (
            "0009_seed_progress_results_fresh9",
            "这个件号我还不知道，我这就去库房问",
            "催了零件也不会早到",
            ("only_this", "exceptions"),
        ),
        # something made ready for the customer; complaining by phone; a consequence ruled out
        (
            "0010_seed_dialect_readiness_fresh13",
            "上牌不归我们管，是车管所办的，不过我可以给您把要带的材料整理好",
            "嫌贵你就去打投诉电话",
            ("impossible", "exceptions"),
        ),
        # when it will be known; no reason at all; a part said to be failing, brought back
        (
            "0011_seed_parts_and_chat_fresh20",
            "这个件号我现在还不知道，要等厂家系统更新了才能确定",
            "你这人怎么一点道理都不讲",
            ("no_way", "polite_before"),
        ),
    ],
)
def test_a_later_round_migration_updates_seeded_values_and_leaves_edited_ones(
    demo, api, name, promise, paraphrase, restored
):
    from django.apps import apps

    migration, rows = _seeded_before(name, demo, api, own_edit=("only_this", "polite_after", "我…帮你"))
    assert check(api, "agent1", promise)["ok"] is False
    assert not wording_hits(api, "agent1", paraphrase)  # the learned reading may flag it
    stamp = _stamp(demo)
    migration.forward(apps, None)
    assert rows.get(seed_key="dont_know").polite_after == migration.CHANGES["dont_know"]["polite_after"][1]
    assert rows.get(seed_key="only_this").polite_after == "我…帮你"  # the organisation's own edit
    assert _stamp(demo) != stamp
    assert check(api, "agent1", promise)["ok"] is True
    assert wording_hits(api, "agent1", paraphrase)
    migration.backward(apps, None)
    key, field = restored
    assert getattr(rows.get(seed_key=key), field) == migration.CHANGES[key][field][0]


def test_the_phrase_page_edits_the_polite_contexts_like_the_phrase(demo, api, client):
    entry = phrases_of(api, "manager1")["不行"]
    client.force_login(demo.users["manager1"])
    page = client.get(f"/language/phrases/{entry['id']}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="polite_before"' in html and 'name="polite_after"' in html and 'name="variants"' in html
    form = {k: entry[k] for k in ("phrase", "alternative", "situation", "pattern", "exceptions", "variants")}
    text = "厂家试验室测了说不行。"
    assert check(api, "agent1", text)["ok"] is False
    form |= {"polite_before": entry["polite_before"] + "|测了说", "polite_after": "的话", "is_active": "on"}
    response = client.post(f"/language/phrases/{entry['id']}/", form)
    assert response.status_code in (200, 302)
    assert ForbiddenPhrase.objects.get(pk=entry["id"]).polite_before.endswith("|测了说")
    assert check(api, "agent1", text)["ok"] is True
    bad = client.post(f"/language/phrases/{entry['id']}/", form | {"polite_after": "查"})
    assert bad.status_code in (200, 422) and "polite_after" in bad.content.decode()
    assert ForbiddenPhrase.objects.get(pk=entry["id"]).polite_after == "的话"
