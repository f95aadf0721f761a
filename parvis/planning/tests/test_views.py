import pytest
from django.urls import reverse

from parvis.planning import services
from parvis.planning.models import ApprovalPolicy, ReviewAction, ReviewEvent
from parvis.studio.models import PostState

pytestmark = pytest.mark.django_db


def url(name, post):
    return reverse(f"planning:{name}", args=[post.authority.slug, post.pk])


def editor_page(client, post):
    return client.get(reverse("studio:post", args=[post.authority.slug, post.pk]))


def test_the_editor_shows_the_state_in_words_and_the_submit_button(
    client_of, post, editor
):
    page = editor_page(client_of(editor), post)
    assert page.status_code == 200
    assert "Circuit de validation" in page.text
    assert "Brouillon" in page.text
    assert url("submit", post) in page.text
    assert url("approve", post) not in page.text
    assert "csrfmiddlewaretoken" in page.text


def test_an_editor_submits_from_the_editor(client_of, post, editor):
    response = client_of(editor).post(url("submit", post))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW


def test_a_validator_sees_approve_reject_and_urgent_buttons(
    client_of, post, editor, validator
):
    services.post_submit_for_review(post=post, actor=editor)
    page = editor_page(client_of(validator), post)
    for name in ("approve", "reject", "publish_now"):
        assert url(name, post) in page.text
    assert 'name="comment"' in page.text
    assert "required" in page.text


def test_a_repeated_approve_post_approves_once(client_of, post, editor, validator):
    services.post_submit_for_review(post=post, actor=editor)
    client = client_of(validator)
    client.post(url("approve", post))
    response = client.post(url("approve", post), follow=True)
    assert ReviewEvent.objects.filter(action=ReviewAction.APPROVE).count() == 1
    assert "pas en relecture" in response.text


def test_a_reject_without_comment_is_refused_in_french(
    client_of, post, editor, validator
):
    services.post_submit_for_review(post=post, actor=editor)
    response = client_of(validator).post(url("reject", post), follow=True)
    assert "le commentaire est obligatoire" in response.text
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW


def test_the_history_shows_who_the_comment_and_a_collapsed_diff(
    client_of, post, editor, validator
):
    from parvis.studio import services as studio

    services.post_submit_for_review(post=post, actor=editor)
    services.post_reject(post=post, actor=validator, comment="L'horaire manque.")
    studio.variant_update(
        variant=post.variants.first(),
        parts=["Samedi 14 h."],
        image_alt="",
        actor=editor,
    )
    services.post_submit_for_review(post=post, actor=editor)
    page = editor_page(client_of(validator), post)
    assert "L&#x27;horaire manque." in page.text
    assert "<details><summary>Modifications du texte</summary>" in page.text
    assert "+Samedi 14 h." in page.text
    assert validator.full_name in page.text


def test_an_elected_member_sees_approve_only_at_the_second_level(
    client_of, two_levels, post, editor, validator, elected
):
    services.post_submit_for_review(post=post, actor=editor)
    assert url("approve", post) not in editor_page(client_of(elected), post).text
    services.post_approve(post=post, actor=validator)
    assert url("approve", post) in editor_page(client_of(elected), post).text


def test_an_agent_is_refused_the_workflow_routes(client_of, post, agent):
    client = client_of(agent)
    assert client.post(url("submit", post)).status_code == 404
    assert client.post(url("publish_now", post)).status_code == 404


def test_an_outsider_gets_404(client_of, post, outsider):
    client = client_of(outsider)
    for name in ("submit", "approve", "reject", "back_to_draft", "publish_now"):
        assert client.post(url(name, post)).status_code == 404
    policy = reverse("planning:policy", args=[post.authority.slug])
    assert client.get(policy).status_code == 404


def test_a_get_goes_back_to_the_editor(client_of, post, editor):
    response = client_of(editor).get(url("submit", post))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == PostState.DRAFT


def test_the_urgent_button_publishes_on_the_connected_channel(
    client_of, post, validator, channel
):
    from parvis.publishing.models import Publication

    client_of(validator).post(url("publish_now", post))
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    assert Publication.objects.count() == 2


def test_an_admin_sets_two_levels(client_of, commune, admin_user, validator):
    policy_url = reverse("planning:policy", args=[commune.slug])
    client = client_of(admin_user)
    assert client.get(policy_url).status_code == 200
    response = client.post(
        policy_url,
        {
            "levels": "2",
            "first_level_roles": ["validator"],
            "second_level_roles": ["elected", "admin"],
        },
    )
    assert response.status_code == 302
    policy = ApprovalPolicy.objects.get(authority=commune)
    assert policy.levels == 2
    assert policy.second_level_roles == ["admin", "elected"]
    assert client_of(validator).get(policy_url).status_code == 404


def test_two_levels_need_roles_for_the_second(client_of, commune, admin_user):
    page = client_of(admin_user).post(
        reverse("planning:policy", args=[commune.slug]),
        {"levels": "2", "first_level_roles": ["validator"]},
    )
    assert page.status_code == 200
    assert "au moins un rôle pour le second niveau" in page.text
    assert not ApprovalPolicy.objects.exists()
