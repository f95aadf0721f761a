"""A consultation's stored analysis: themes found once, then new contributions join
them (numbers and names kept, a repeated idea counted as a supporter), the team
renames and merges; opinion groups stored without who is in which group."""

import datetime as dt

import pytest
from django.utils import timezone

from parvis.participation.analysis import (
    consultation_analyse,
    theme_merge,
    theme_rename,
)
from parvis.participation.models import Contribution, Theme
from parvis.participation.services import (
    consultation_save,
    participant_for,
    statement_add,
    vote_cast,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SUBJECTS = {
    "vélo": [
        "Des pistes cyclables séparées des voitures sur le Sillon",
        "Plus d'arceaux pour garer les vélos devant les écoles",
        "Une piste cyclable continue entre Paramé et l'intra-muros",
        "Des garages à vélos sécurisés près de la gare",
        "Élargir les bandes cyclables avenue de Moka",
        "Un service de location de vélos électriques",
        "Des double-sens cyclables dans les rues étroites",
        "Marquer au sol les itinéraires vélo vers le lycée",
    ],
    "cantine": [
        "Plus de produits bio et locaux à la cantine scolaire",
        "Un menu végétarien chaque semaine à la cantine",
        "Moins de gaspillage alimentaire dans les restaurants scolaires",
        "Des fruits de saison au goûter des enfants à l'école",
        "Baisser le prix du repas de cantine pour les familles modestes",
        "Cuisiner sur place les repas des écoles",
        "Du pain bio du boulanger du quartier à la cantine",
        "Des portions adaptées à l'âge des enfants à la cantine",
    ],
    "parcs": [
        "Planter plus d'arbres dans les cours et les parcs",
        "Des bancs à l'ombre dans le parc de la Briantais",
        "Ouvrir les jardins publics plus tard en été",
        "Des jeux pour enfants dans le square près de la mairie",
        "Un jardin partagé dans le quartier de la Découverte",
        "Des fontaines d'eau potable dans les parcs",
        "Moins de tonte pour laisser pousser les fleurs sauvages",
        "Des toilettes publiques propres dans les jardins",
    ],
}


@pytest.fixture
def consultation(commune, admin_user):
    now = timezone.now()
    consultation = consultation_save(
        authority=commune,
        actor=admin_user,
        values={
            "title": "Saint-Malo demain",
            "slug": "demain",
            "question": "Qu'aimeriez-vous changer dans votre quartier ?",
            "starts_at": now - dt.timedelta(days=2),
            "ends_at": now + dt.timedelta(days=30),
            "published": True,
            "votes_open": True,
        },
    )
    for texts in SUBJECTS.values():
        for text in texts:
            Contribution.objects.create(
                consultation=consultation, origin="site", text=text, status="accepted"
            )
    return consultation


def themes_of(consultation):
    return {
        theme.number: set(theme.contributions.values_list("text", flat=True))
        for theme in Theme.objects.filter(consultation=consultation, merged_into=None)
    }


def test_themes_found_then_kept_as_new_contributions_join_them(consultation):
    consultation_analyse(consultation=consultation)
    found = themes_of(consultation)
    assert len(found) >= 2
    bike = next(n for n, texts in found.items() if SUBJECTS["vélo"][0] in texts)
    assert len(found[bike] & set(SUBJECTS["vélo"])) >= 6
    labels = {theme.number: theme.label for theme in Theme.objects.all()}

    again = Contribution.objects.create(
        consultation=consultation,
        origin="facebook",
        text="Des pistes cyclables séparées des voitures sur le Sillon !",
        status="accepted",
    )
    new = Contribution.objects.create(
        consultation=consultation,
        origin="site",
        text="Une piste cyclable protégée jusqu'au collège",
        status="accepted",
    )
    consultation_analyse(consultation=consultation)
    again.refresh_from_db()
    new.refresh_from_db()
    assert again.duplicate_of.text == SUBJECTS["vélo"][0]
    assert again.theme.number == bike
    assert new.analysed
    assert {theme.number: theme.label for theme in Theme.objects.all()} == labels


def test_the_team_renames_and_merges_themes(consultation, admin_user):
    consultation_analyse(consultation=consultation)
    first, second, *_ = Theme.objects.filter(consultation=consultation)
    theme_rename(theme=first, actor=admin_user, label="Se déplacer à vélo")
    theme_merge(theme=second, into=first, actor=admin_user)
    first.refresh_from_db()
    assert first.label == "Se déplacer à vélo" and first.renamed
    assert not Contribution.objects.filter(theme=second).exists()
    consultation_analyse(consultation=consultation)
    assert Theme.objects.get(pk=first.pk).label == "Se déplacer à vélo"


def test_opinion_groups_are_stored_without_their_members(consultation, admin_user):
    statements = [
        statement_add(consultation=consultation, actor=admin_user, text=f"Idée {n}")
        for n in range(8)
    ]
    for person in range(24):
        participant = participant_for(consultation=consultation, token=f"t{person}")
        side = 1 if person % 2 else -1
        for number, statement in enumerate(statements):
            vote_cast(
                statement=statement,
                participant=participant,
                value=side if number < 6 else 1,
            )
    summary = consultation_analyse(consultation=consultation)
    opinions = summary["opinions"]
    assert opinions["k"] == 2
    assert sorted(group["size"] for group in opinions["groups"]) == [12, 12]
    assert all("members" not in group for group in opinions["groups"])
    consensus = {item["statement"] for item in opinions["consensus_agree"]}
    assert consensus == {str(statements[6].pk), str(statements[7].pk)}


def test_the_team_splits_a_theme_and_the_parts_get_new_numbers(
    consultation, admin_user
):
    from parvis.participation.analysis import theme_split

    consultation_analyse(consultation=consultation)
    for theme in list(Theme.objects.filter(consultation=consultation))[1:]:
        theme_merge(theme=theme, into=Theme.objects.get(number=1), actor=admin_user)
    whole = Theme.objects.get(number=1)
    before = whole.contributions.count()
    highest = max(Theme.objects.values_list("number", flat=True))
    created = theme_split(theme=whole, actor=admin_user)
    assert created and all(theme.number > highest for theme in created)
    after = sum(t.contributions.count() for t in Theme.objects.filter(merged_into=None))
    assert after == before and whole.contributions.count() < before


def test_each_themes_trend_is_counted_week_by_week(consultation):
    from parvis.participation.selectors import themes_by_week

    first = Contribution.objects.filter(consultation=consultation).order_by("id")
    Contribution.objects.filter(
        pk__in=list(first.values_list("pk", flat=True)[:8])
    ).update(created_at=timezone.now() - dt.timedelta(days=14))
    consultation_analyse(consultation=consultation)
    weeks, table = themes_by_week(consultation=consultation)
    assert len(weeks) >= 2
    themed = Contribution.objects.filter(theme__isnull=False).count()
    assert sum(sum(counts) for _label, counts in table) == themed
