"""Participation screens: the team creates a consultation, moderates and writes
statements (writers only; readers read; outsiders get 404 through the tenancy
sweep); citizens contribute without an account (robots and floods refused with the
text kept), vote once per statement through a signed cookie, and their words are
escaped."""

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.inbox.forms_public import form_started_token
from parvis.participation.models import Consultation, Contribution, Participant, Vote
from parvis.participation.services import consultation_save, statement_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def consultation(commune, admin_user):
    now = timezone.now()
    return consultation_save(
        authority=commune,
        actor=admin_user,
        values={
            "title": "Le vélo à Saint-Malo",
            "slug": "velo",
            "question": "Comment rendre le vélo plus facile et plus sûr ?",
            "topic": "transports",
            "starts_at": now - dt.timedelta(days=1),
            "ends_at": now + dt.timedelta(days=30),
            "published": True,
            "votes_open": True,
        },
    )


def page_url(consultation):
    return reverse(
        "participation_public:page",
        args=[consultation.authority.slug, consultation.slug],
    )


def contribute(client, consultation, **changes):
    data = {
        "pseudonym": "Yann",
        "text": "Des arceaux vélo devant chaque école, et abrités.",
        "email": "",
        "site_web": "",
        "started": form_started_token(consultation.authority, at=0),
    }
    data.update(changes)
    return client.post(
        reverse(
            "participation_public:contribute",
            args=[consultation.authority.slug, consultation.slug],
        ),
        data,
    )


def test_an_editor_creates_a_consultation_in_the_authoritys_time(
    client_of, editor, commune
):
    response = client_of(editor).post(
        reverse("participation:new", args=[commune.slug]),
        {
            "title": "Budget participatif 2027",
            "slug": "budget-2027",
            "question": "Quels projets financer dans votre quartier ?",
            "description": "",
            "topic": "budget",
            "starts_at": "2027-01-04T09:00",
            "ends_at": "2027-02-28T18:00",
            "moderation": "after",
            "published": "on",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get(slug="budget-2027")
    assert consultation.starts_at == dt.datetime(2027, 1, 4, 8, 0, tzinfo=dt.UTC)
    assert consultation.created_by == editor


def test_wrong_dates_and_a_taken_address_are_explained(
    client_of, editor, commune, consultation
):
    response = client_of(editor).post(
        reverse("participation:new", args=[commune.slug]),
        {
            "title": "T",
            "slug": "velo",
            "question": "Q ?",
            "topic": "budget",
            "starts_at": "2027-01-04T09:00",
            "ends_at": "2027-01-01T09:00",
            "moderation": "after",
        },
    )
    page = response.content.decode()
    assert "déjà cette adresse" in page and "La clôture doit suivre" in page


def test_an_elected_member_reads_but_cannot_moderate(
    client_of, commune, admin_user, consultation
):
    from conftest import make_user

    elected = make_user("elu@saint-malo.example")
    membership_set(authority=commune, user=elected, role=Role.ELECTED, actor=admin_user)
    client = client_of(elected)
    detail = reverse("participation:detail", args=[commune.slug, consultation.pk])
    assert client.get(detail).status_code == 200
    assert (
        client.get(reverse("participation:new", args=[commune.slug])).status_code == 404
    )


def test_a_citizen_contributes_and_the_contribution_is_public_and_escaped(
    client, consultation
):
    response = contribute(
        client, consultation, text="<script>alert(1)</script> des arceaux"
    )
    assert (
        response.status_code == 302 and "contribution=publiee" in response["Location"]
    )
    page = client.get(page_url(consultation)).content.decode()
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    [participant] = Participant.objects.all()
    assert participant.pseudonym == "Yann"
    cookie = f"parvis_participation_{consultation.pk}"
    assert cookie in response.cookies and response.cookies[cookie]["httponly"]


def test_a_robot_is_refused_and_a_flood_waits_with_the_text_kept(
    client, consultation, settings
):
    robot = contribute(client, consultation, site_web="http://spam.example")
    assert robot.status_code == 400 and not Contribution.objects.exists()
    settings.PUBLIC_INTAKE_RATE_LIMIT = {
        **settings.PUBLIC_INTAKE_RATE_LIMIT,
        "form_per_client": 1,
    }
    assert contribute(client, consultation).status_code == 302
    flood = contribute(client, consultation, text="Une deuxième idée, pour les bus.")
    assert flood.status_code == 429
    assert "Une deuxième idée, pour les bus." in flood.content.decode()


def test_an_email_given_gets_a_verification_link(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contribute(client, consultation, email="yann@example.org")
    [email] = mail.outbox
    link = next(line for line in email.body.splitlines() if "jeton=" in line)
    response = client.get(link.replace("http://testserver", ""))
    assert (
        response.status_code == 200 and "Adresse confirmée" in response.content.decode()
    )
    assert Participant.objects.get().email_verified_at is not None


def test_a_citizen_votes_once_per_statement_and_may_change_their_mind(
    client, consultation, admin_user
):
    statement = statement_add(
        consultation=consultation, actor=admin_user, text="Des pistes séparées"
    )
    url = reverse(
        "participation_public:vote",
        args=[consultation.authority.slug, consultation.slug, statement.pk],
    )
    client.post(url, {"value": "1"})
    answer = client.post(url, {"value": "-1"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert "Votre vote : Pas d&#x27;accord." in answer.content.decode()
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    other = Client()
    other.post(url, {"value": "1"})
    assert Vote.objects.count() == 2 and Participant.objects.count() == 2


def test_a_hidden_contribution_shows_its_reason_not_its_text(
    client_of, client, consultation, editor, commune
):
    contribute(client, consultation, text="Un texte qui sera masqué par l'équipe.")
    contribution = Contribution.objects.get()
    moderate = reverse(
        "participation:moderate", args=[commune.slug, consultation.pk, contribution.pk]
    )
    team = client_of(editor)
    refused = team.post(moderate, {"decision": "hide", "reason": ""})
    assert "motif" in refused.content.decode()
    team.post(moderate, {"decision": "hide", "reason": "Hors sujet"})
    page = client.get(page_url(consultation)).content.decode()
    assert "Hors sujet" in page and "sera masqué" not in page


def test_an_unpublished_consultation_has_no_public_page(client, consultation):
    consultation.published = False
    consultation.save()
    assert client.get(page_url(consultation)).status_code == 404


def test_the_team_asks_for_an_analysis_run_by_the_worker(
    client_of, editor, commune, consultation, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    url = reverse("participation:analyse", args=[commune.slug, consultation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(editor).post(url, {"regrouper": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#analyse")
    [task] = DBTaskResult.objects.filter(task_path__endswith="analyse_consultation")
    assert task.args_kwargs["args"] == [consultation.pk, True]


def test_the_report_and_open_data_leave_out_personal_data(
    client_of, client, editor, commune, consultation
):
    import json

    contribute(
        client,
        consultation,
        pseudonym="Camille Durand",
        text="Appelez-moi au 06 12 34 56 78 pour le parking vélo de la gare.",
    )
    team = client_of(editor)
    report = team.get(
        reverse("participation:report", args=[commune.slug, consultation.pk])
    )
    assert report.status_code == 200 and "Méthode" in report.content.decode()
    data = team.get(
        reverse("participation:open_data", args=[commune.slug, consultation.pk, "json"])
    )
    text = data.content.decode()
    assert "Camille" not in text and "06 12 34 56 78" not in text
    assert json.loads(text)["contributions"][0]["origine"] == "site"
    csv_export = team.get(
        reverse("participation:open_data", args=[commune.slug, consultation.pk, "csv"])
    )
    assert "attachment" in csv_export["Content-Disposition"]
    exported = b"".join(csv_export.streaming_content).decode()
    assert "Appelez-moi au" in exported and "06 12 34 56 78" not in exported
    assert (
        team.get(
            reverse(
                "participation:open_data", args=[commune.slug, consultation.pk, "xml"]
            )
        ).status_code
        == 404
    )


@pytest.mark.slow
def test_the_report_downloads_as_a_real_pdf_with_its_chart(
    client_of, client, editor, commune, consultation
):
    import io

    from pypdf import PdfReader

    contribute(client, consultation)
    response = client_of(editor).get(
        reverse("participation:report_pdf", args=[commune.slug, consultation.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Comment rendre le vélo plus facile" in text
    assert "Contributions par semaine" in text
    assert "Méthode" in text


def test_votes_that_need_an_email_count_once_per_verified_address(
    client, consultation, admin_user, django_capture_on_commit_callbacks
):

    consultation.votes_need_email = True
    consultation.save()
    statement = statement_add(consultation=consultation, actor=admin_user, text="Oui ?")
    vote_url = reverse(
        "participation_public:vote",
        args=[consultation.authority.slug, consultation.slug, statement.pk],
    )
    refused = client.post(vote_url, {"value": "1"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and "Confirmez" in refused.content.decode()
    assert not Vote.objects.exists()
    ask = reverse(
        "participation_public:verify_request",
        args=[consultation.authority.slug, consultation.slug],
    )
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(ask, {"email": "a@example.org"})
    assert "verification=envoyee" in asked["Location"]
    link = next(line for line in mail.outbox[-1].body.splitlines() if "jeton=" in line)
    client.get(link.replace("http://testserver", ""))
    assert client.post(vote_url, {"value": "1"}).status_code == 302
    # The same address from another browser votes in the same name.
    other = Client()
    with django_capture_on_commit_callbacks(execute=True):
        other.post(ask, {"email": "A@example.org"})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "jeton=" in line)
    other.get(link.replace("http://testserver", ""))
    other.post(vote_url, {"value": "-1"})
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]


def test_an_identity_check_configured_by_the_installation_is_applied(
    client, consultation, admin_user, settings
):
    settings.PARTICIPATION_IDENTITY_CHECK = (
        "parvis.participation.tests.test_views.nobody_is_checked"
    )
    statement = statement_add(consultation=consultation, actor=admin_user, text="Oui ?")
    url = reverse(
        "participation_public:vote",
        args=[consultation.authority.slug, consultation.slug, statement.pk],
    )
    answer = client.post(url, {"value": "1"}, HTTP_HX_REQUEST="true")
    assert (
        answer.status_code == 200
        and "vérification d&#x27;identité" in answer.content.decode()
    )
    assert not Vote.objects.exists()


def nobody_is_checked(participant):
    return False


def test_a_withdrawn_statement_answers_without_error_and_votes_make_no_participant(
    client, consultation, admin_user
):
    from parvis.participation.services import statement_set_active

    statement = statement_add(consultation=consultation, actor=admin_user, text="Oui ?")
    statement_set_active(statement=statement, actor=admin_user, active=False)
    url = reverse(
        "participation_public:vote",
        args=[consultation.authority.slug, consultation.slug, statement.pk],
    )
    answer = client.post(url, {"value": "1"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and "pas ouvert" in answer.content.decode()
    assert not Participant.objects.exists() and not Vote.objects.exists()


def test_one_address_cannot_create_participants_without_end(
    consultation, admin_user, monkeypatch
):
    monkeypatch.setattr(
        "parvis.participation.views_public.NEW_PARTICIPANTS_PER_CLIENT", 3
    )
    statement = statement_add(consultation=consultation, actor=admin_user, text="Oui ?")
    url = reverse(
        "participation_public:vote",
        args=[consultation.authority.slug, consultation.slug, statement.pk],
    )
    for _ in range(5):
        Client().post(url, {"value": "1"})
    assert Vote.objects.count() == 3 == Participant.objects.count()
