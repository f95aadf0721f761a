"""The pre-election period guard: windows, eve and day of the vote, justification,
daylight-saving changes, and the promotion lexicon."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from conftest import make_user
from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.planning.election_guard import guard, lexicon, promotion_signals
from parvis.territory.models import Election
from parvis.territory.vocabularies import ElectionKind

PARIS = ZoneInfo("Europe/Paris")
PROMOTION = (
    "Promesse tenue : grâce à l'équipe municipale, la nouvelle école est ouverte."
)
NEUTRAL = "La piscine est fermée du 3 au 5 mars pour vidange."


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def paris(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=PARIS)  # type: ignore[misc]


@pytest.fixture
def authority(commune):
    """The test commune with no election but the ones a test adds."""
    commune.elections.all().delete()
    return commune


def add_election(authority, first_round, second_round=None, kind=ElectionKind.AUTRE):
    return Election.objects.create(
        authority=authority,
        kind=kind,
        first_round=first_round,
        second_round=second_round,
    )


@pytest.fixture
def municipales(authority):
    """Sundays 15 and 22 March 2026 (winter time); window from 1 September 2025."""
    return add_election(
        authority,
        dt.date(2026, 3, 15),
        dt.date(2026, 3, 22),
        kind=ElectionKind.MUNICIPALES,
    )


def level_at(authority, when, text=PROMOTION, **options):
    return guard(text, authority=authority, when=when, **options).level


# Windows -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_round", "starts_on"),
    [
        (dt.date(2026, 3, 15), dt.date(2025, 9, 1)),
        (dt.date(2027, 6, 20), dt.date(2026, 12, 1)),
        (dt.date(2028, 1, 9), dt.date(2027, 7, 1)),
        (dt.date(2026, 7, 5), dt.date(2026, 1, 1)),
        (dt.date(2026, 12, 13), dt.date(2026, 6, 1)),
    ],
)
def test_window_opens_on_the_first_day_of_the_sixth_month_before_the_vote(
    authority, first_round, starts_on
):
    add_election(authority, first_round)
    day_before = starts_on - dt.timedelta(days=1)

    result = guard(
        PROMOTION, authority=authority, when=paris(*starts_on.timetuple()[:3], 12)
    )

    assert result.level == "blocked"
    assert result.window is not None and result.window.starts_on == starts_on
    assert level_at(authority, paris(*day_before.timetuple()[:3], 12)) == "none"


def test_summer_window_opens_at_paris_midnight_not_utc_midnight(authority, municipales):
    # 1 September 2025, 00:00 in Paris (summer time) is 31 August, 22:00 UTC.
    assert level_at(authority, utc("2025-08-31T21:59:59")) == "none"
    assert level_at(authority, utc("2025-08-31T22:00:00")) == "blocked"


def test_winter_window_opens_at_paris_midnight_not_utc_midnight(authority):
    add_election(authority, dt.date(2027, 6, 20))
    # 1 December 2026, 00:00 in Paris (winter time) is 30 November, 23:00 UTC.
    assert level_at(authority, utc("2026-11-30T22:59:59")) == "none"
    assert level_at(authority, utc("2026-11-30T23:00:00")) == "blocked"


def test_window_closes_at_the_end_of_the_last_round_in_paris(authority, municipales):
    assert level_at(authority, utc("2026-03-22T22:59:59")) == "forbidden"
    result = guard(PROMOTION, authority=authority, when=utc("2026-03-22T23:00:00"))
    assert result.level == "none"
    assert result.window is None


def test_outside_windows_signals_are_returned_as_information(authority, municipales):
    result = guard(PROMOTION, authority=authority, when=paris(2025, 6, 1, 10))

    assert (result.blocked, result.level, result.reasons) == (False, "none", [])
    assert [signal.kind for signal in result.signals] == ["promesse", "merite"]


def test_neutral_text_in_a_window_passes_with_the_window_shown(authority, municipales):
    result = guard(NEUTRAL, authority=authority, when=paris(2026, 1, 10, 9))

    assert result.level == "none" and not result.blocked
    assert result.window is not None and result.window.election == municipales


def test_naive_datetime_is_refused(authority, municipales):
    with pytest.raises(ValueError):
        guard(PROMOTION, authority=authority, when=dt.datetime(2026, 1, 10, 9))


# Justification, campaigns --------------------------------------------------------------


def test_justification_lifts_the_block_to_a_warning(authority, municipales):
    when = paris(2026, 1, 10, 9)
    blocked = guard(PROMOTION, authority=authority, when=when)
    justified = guard(
        PROMOTION,
        authority=authority,
        when=when,
        justification="Inauguration annoncée chaque année sous cette forme depuis 2019.",
    )

    assert blocked.blocked and blocked.level == "blocked"
    assert any("L52-1" in reason for reason in blocked.reasons)
    assert any("promesse tenue" in reason.casefold() for reason in blocked.reasons)
    assert not justified.blocked and justified.level == "warning"
    assert any("depuis 2019" in reason for reason in justified.reasons)


def test_blank_justification_does_not_count(authority, municipales):
    when = paris(2026, 1, 10, 9)
    assert level_at(authority, when, justification="   ") == "blocked"


def test_campaign_promoting_achievements_is_blocked_even_with_a_neutral_text(
    authority, municipales
):
    result = guard(
        NEUTRAL,
        authority=authority,
        when=paris(2026, 1, 10, 9),
        campaign_objective="image",
        promotes_achievements=True,
    )

    assert result.level == "blocked"
    assert any("promotion des réalisations" in reason for reason in result.reasons)


def test_image_campaign_without_achievements_is_only_a_warning(authority, municipales):
    result = guard(
        NEUTRAL,
        authority=authority,
        when=paris(2026, 1, 10, 9),
        campaign_objective="Notoriété",
    )

    assert (result.blocked, result.level) == (False, "warning")


def test_campaign_promoting_achievements_passes_outside_windows(authority, municipales):
    when = paris(2025, 5, 10, 9)
    assert level_at(authority, when, text=NEUTRAL, promotes_achievements=True) == "none"


# Eve and day of the vote ---------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 3, 14),  # eve of the first round
        dt.date(2026, 3, 15),  # first round
        dt.date(2026, 3, 21),  # eve of the second round
        dt.date(2026, 3, 22),  # second round
    ],
)
def test_eve_and_day_of_both_rounds_forbid_promotion_whatever_the_justification(
    authority, municipales, day
):
    for hour in (0, 12, 23):
        result = guard(
            PROMOTION,
            authority=authority,
            when=paris(day.year, day.month, day.day, hour),
            justification="Validé par la DGS.",
        )
        assert (result.blocked, result.level) == (True, "forbidden")
        assert any("L49" in reason for reason in result.reasons)


@pytest.mark.parametrize(
    "day", [dt.date(2026, 3, 13), dt.date(2026, 3, 16), dt.date(2026, 3, 20)]
)
def test_days_between_and_before_the_eves_are_only_blocked(authority, municipales, day):
    assert level_at(authority, paris(day.year, day.month, day.day, 12)) == "blocked"


def test_eve_starts_at_zero_hour_on_saturday_paris_time(authority, municipales):
    # Friday 13 March 2026, 23:59:59 in Paris (UTC+1), then Saturday 00:00.
    assert level_at(authority, utc("2026-03-13T22:59:59")) == "blocked"
    assert level_at(authority, utc("2026-03-13T23:00:00")) == "forbidden"


def test_political_mark_forbids_a_neutral_text_on_the_vote_day(authority, municipales):
    when = paris(2026, 3, 15, 10)
    assert level_at(authority, when, text=NEUTRAL, political=True) == "forbidden"


def test_service_information_is_allowed_on_the_vote_day(authority, municipales):
    text = "Les bureaux de vote sont ouverts de 8 h à 18 h. Pensez à votre pièce d'identité."
    result = guard(text, authority=authority, when=paris(2026, 3, 15, 7))

    assert (result.blocked, result.level, result.signals) == (False, "none", [])
    assert result.vote_day == dt.date(2026, 3, 15)


# Daylight-saving changes ---------------------------------------------------------------


def test_vote_on_the_spring_change_sunday(authority):
    # Sunday 29 March 2026: clocks go from 02:00 to 03:00, the day lasts 23 hours.
    add_election(authority, dt.date(2026, 3, 29), dt.date(2026, 4, 5))

    # The eve starts on Saturday 28 March 00:00, still winter time (UTC+1).
    assert level_at(authority, utc("2026-03-27T22:59:59")) == "blocked"
    assert level_at(authority, utc("2026-03-27T23:00:00")) == "forbidden"
    # 01:59:59 winter time, then 03:00 summer time: the same vote day.
    assert level_at(authority, utc("2026-03-29T00:59:59")) == "forbidden"
    assert level_at(authority, utc("2026-03-29T01:00:00")) == "forbidden"
    # The day ends at midnight summer time (UTC+2): 22:00 UTC, not 23:00.
    assert level_at(authority, utc("2026-03-29T21:59:59")) == "forbidden"
    assert level_at(authority, utc("2026-03-29T22:00:00")) == "blocked"
    assert level_at(authority, utc("2026-03-29T22:30:00")) == "blocked"


def test_vote_on_the_autumn_change_sunday(authority):
    # Sunday 25 October 2026: clocks go from 03:00 back to 02:00, the day lasts 25 hours.
    add_election(authority, dt.date(2026, 10, 25))

    # The eve starts on Saturday 24 October 00:00, summer time (UTC+2).
    assert level_at(authority, utc("2026-10-23T21:59:59")) == "blocked"
    assert level_at(authority, utc("2026-10-23T22:00:00")) == "forbidden"
    # 02:30 happens twice (00:30 and 01:30 UTC): both are the vote day.
    assert level_at(authority, utc("2026-10-25T00:30:00")) == "forbidden"
    assert level_at(authority, utc("2026-10-25T01:30:00")) == "forbidden"
    # The day ends at midnight winter time (UTC+1): 23:00 UTC, not 22:00.
    assert level_at(authority, utc("2026-10-25T22:30:00")) == "forbidden"
    assert level_at(authority, utc("2026-10-25T23:00:00")) == "none"


def test_second_round_on_the_spring_change_sunday(authority):
    add_election(authority, dt.date(2027, 3, 21), dt.date(2027, 3, 28))

    assert level_at(authority, utc("2027-03-26T22:59:59")) == "blocked"
    assert level_at(authority, utc("2027-03-26T23:00:00")) == "forbidden"
    assert level_at(authority, utc("2027-03-28T21:59:59")) == "forbidden"
    assert level_at(authority, utc("2027-03-28T22:00:00")) == "none"


def test_days_are_the_authoritys_own_days(authority):
    # An overseas authority votes by its own clock: Martinique is UTC-4.
    authority.timezone = "America/Martinique"
    add_election(authority, dt.date(2026, 3, 15))

    assert level_at(authority, utc("2026-03-14T03:59:59")) == "blocked"
    assert level_at(authority, utc("2026-03-14T04:00:00")) == "forbidden"
    assert level_at(authority, utc("2026-03-16T03:59:59")) == "forbidden"


# Lexicon ------------------------------------------------------------------------------


def test_lexicon_has_at_least_forty_entries_each_explained():
    rules = lexicon()
    signal_rules = [rule for rule in rules if rule.kind != "elu"]

    assert len(signal_rules) >= 40
    assert all(len(rule.explanation) > 20 for rule in signal_rules)


@pytest.mark.parametrize(
    ("text", "kind", "matched"),
    [
        (
            "Retrouvez le bilan de mandat dans le magazine de mars.",
            "bilan",
            "bilan de mandat",
        ),
        ("En six ans, la ville a rénové 12 écoles.", "bilan", "En six ans, la ville"),
        (
            "Grâce à la municipalité, le parc est ouvert.",
            "merite",
            "Grâce à la municipalité",
        ),
        ("Grâce au maire, la crèche ouvre en janvier.", "merite", "Grâce au maire"),
        (
            "Un chantier mené sous l'impulsion du maire.",
            "merite",
            "sous l'impulsion du maire",
        ),
        (
            "Promesse tenue : la piste cyclable est finie !",
            "promesse",
            "Promesse tenue",
        ),
        ("Engagement tenu pour la cantine bio.", "promesse", "Engagement tenu"),
        ("Comme promis, les travaux sont terminés.", "promesse", "Comme promis"),
        (
            "Comme nous l'avions annoncé, la médiathèque ouvre.",
            "promesse",
            "Comme nous l'avions annoncé",
        ),
        (
            "Jamais une municipalité n'avait autant investi.",
            "superlatif",
            "Jamais une municipalité n'avait",
        ),
        ("Un effort sans précédent pour la voirie.", "superlatif", "sans précédent"),
        (
            "Un investissement historique pour nos écoles.",
            "superlatif",
            "investissement historique",
        ),
        ("Un budget record pour la culture.", "superlatif", "budget record"),
        (
            "Le pont a été refait en un temps record.",
            "superlatif",
            "en un temps record",
        ),
        ("Nous sommes fiers de cette nouvelle salle.", "autosatisfaction", "fiers de"),
        (
            "La fête du quartier, une vraie réussite !",
            "autosatisfaction",
            "une vraie réussite",
        ),
        (
            "Nous avons réalisé la rénovation du gymnase.",
            "voix_politique",
            "Nous avons réalisé",
        ),
        ("Notre majorité a voté la gratuité.", "voix_politique", "Notre majorité"),
        (
            "La majorité municipale a voté le budget.",
            "politique",
            "La majorité municipale",
        ),
        ("Depuis le début du mandat, 3 crèches.", "bilan", "Depuis le début du mandat"),
        (
            "Contrairement à l'ancienne municipalité, tout est fini.",
            "polemique",
            "l'ancienne municipalité",
        ),
        ("Bravo à Mme la Maire pour son dynamisme !", "eloge", "Bravo"),
    ],
)
def test_lexicon_finds_promotion_in_realistic_sentences(text, kind, matched):
    signals = promotion_signals(text)

    assert (signals[0].kind, signals[0].matched) == (kind, matched)
    assert text[signals[0].start : signals[0].end].strip() == matched
    assert signals[0].explanation


def test_lexicon_ignores_accents_and_typographic_apostrophes():
    signals = promotion_signals("PROMESSE TENUE grace a l’equipe municipale")
    assert [signal.kind for signal in signals] == ["promesse", "merite"]


@pytest.mark.parametrize(
    "text",
    [
        NEUTRAL,
        "Collecte des encombrants mardi 12 mars : sortez vos objets la veille au soir.",
        "Le conseil municipal se réunit jeudi à 19 h en mairie. La séance est publique.",
        "Visite guidée du centre historique samedi à 15 h, départ de l'office de tourisme.",
        "Record de chaleur attendu : pensez à boire et à vous rafraîchir.",
        "Le bilan carbone de la commune est en ligne sur le site de la ville.",
        "Cantine : signez le mandat de prélèvement SEPA avant le 30 septembre.",
        "Travaux rue de la Paix : déviation par le boulevard jusqu'au 14 avril.",
        "Le maire vous présente ses vœux samedi 10 janvier à 11 h, salle des fêtes.",
        "Bravo aux 300 bénévoles du Téléthon, merci à tous !",
        "Inscriptions scolaires : rendez-vous au guichet unique avec un justificatif.",
        "Les bureaux de vote sont ouverts de 8 h à 18 h.",
    ],
)
def test_lexicon_leaves_service_information_alone(text):
    assert promotion_signals(text) == []


def test_praise_needs_an_elected_in_the_same_sentence():
    text = "Le maire inaugure la crèche samedi. Bravo aux agents du chantier !"
    assert promotion_signals(text) == []


def test_praise_of_an_elected_member_by_name_is_blocked_in_a_window(
    authority, municipales, admin_user
):
    elected = make_user("jeanne.dupont@saint-malo.example")
    elected.full_name = "Jeanne Dupont"
    elected.save(update_fields=["full_name"])
    membership_set(
        authority=authority, user=elected, role=Role.ELECTED, actor=admin_user
    )
    text = (
        "La nouvelle médiathèque ouvre samedi. Bravo à Jeanne Dupont pour sa ténacité !"
    )

    result = guard(text, authority=authority, when=paris(2026, 2, 2, 9))

    assert result.level == "blocked"
    assert [(s.kind, s.matched) for s in result.signals] == [
        ("eloge", "Bravo"),
        ("eloge", "ténacité"),
    ]
    assert promotion_signals(text) == []  # the name is not an office
