from parvis.nlp.text import link_spans, mask_links, normalize, sentences, words


def test_abbreviations_do_not_end_a_sentence():
    text = (
        "M. Dupont et Mme Martin vous attendent au 12 av. Jean-Jaurès. "
        "Le Dr Lenoir sera là aussi."
    )
    assert sentences(text) == [
        "M. Dupont et Mme Martin vous attendent au 12 av. Jean-Jaurès.",
        "Le Dr Lenoir sera là aussi.",
    ]


def test_street_and_number_abbreviations_stay_inside_the_sentence():
    text = "Rendez-vous 3 bd. Victor-Hugo, n° 12. Tél. 05 99 00 00 00. Merci."
    assert sentences(text) == [
        "Rendez-vous 3 bd. Victor-Hugo, n° 12.",
        "Tél. 05 99 00 00 00.",
        "Merci.",
    ]


def test_par_exemple_and_initials_do_not_split():
    text = "Des jeux, p. ex. Des cartes. J.-C. Martin et J. Durand animent l'atelier."
    assert sentences(text) == [
        "Des jeux, p. ex. Des cartes.",
        "J.-C. Martin et J. Durand animent l'atelier.",
    ]


def test_etc_ends_a_sentence_only_before_a_capital():
    assert sentences("Jeux, livres, etc. sont prêtés. La suite demain.") == [
        "Jeux, livres, etc. sont prêtés.",
        "La suite demain.",
    ]
    assert sentences("Jeux, livres, etc. La suite demain.") == [
        "Jeux, livres, etc.",
        "La suite demain.",
    ]


def test_times_decimals_dates_urls_and_emails_are_kept_whole():
    text = (
        "Ouverture à 14 h 30 le 03.03.2027 ! Le tarif passe à 2,5 €. "
        "Voir https://www.ville.fr/a.b?x=1. Écrire à contact@ville.fr. Fin."
    )
    assert sentences(text) == [
        "Ouverture à 14 h 30 le 03.03.2027 !",
        "Le tarif passe à 2,5 €.",
        "Voir https://www.ville.fr/a.b?x=1.",
        "Écrire à contact@ville.fr.",
        "Fin.",
    ]


def test_a_time_at_the_end_of_a_sentence_ends_it():
    assert sentences("Le concert commence à 18 h. Entrée libre.") == [
        "Le concert commence à 18 h.",
        "Entrée libre.",
    ]


def test_question_and_exclamation_marks_with_french_spacing_split():
    assert sentences("Vous venez ? Oui ! « Bravo. » Super…  Et après ?") == [
        "Vous venez ?",
        "Oui !",
        "« Bravo. » Super…",
        "Et après ?",
    ]


def test_lines_that_start_like_a_sentence_are_sentences_but_wrapped_lines_are_not():
    text = (
        "Travaux rue de Dinan\nLa rue sera fermée\npendant deux semaines.\n- Déviation"
    )
    assert sentences(text) == [
        "Travaux rue de Dinan",
        "La rue sera fermée pendant deux semaines.",
        "- Déviation",
    ]


def test_lines_of_a_social_post_starting_with_a_pictogram_are_sentences():
    post = "Fête du jeu samedi !\n📅 Quand : 14 juin, 14 h\n📍 Où : parc des Chênes"
    assert sentences(post) == [
        "Fête du jeu samedi !",
        "📅 Quand : 14 juin, 14 h",
        "📍 Où : parc des Chênes",
    ]
    assert sentences("Venez ! 🎉 Entrée libre.") == ["Venez !", "🎉 Entrée libre."]


def test_empty_text_has_no_sentence():
    assert sentences("  \n ") == []


def test_words_keep_elisions_compounds_and_numbers_and_skip_links():
    text = (
        "L'école de Saint-Malo : 2,5 € à 14h30, https://x.fr/a et a@b.fr, c'est-à-dire."
    )
    assert words(text) == [
        "L'école",
        "de",
        "Saint-Malo",
        "2,5",
        "à",
        "14h30",
        "et",
        "c'est-à-dire",
    ]


def test_normalize_casefolds_and_keeps_accents():
    assert normalize("  L’Été\u00a0À   SAINT-MALO ") == "l'été à saint-malo"
    assert normalize("ﬁn") == "fin"  # NFKC


def test_links_are_blanked_at_the_same_positions():
    text = "Voir www.ville.fr/a et écrire à a.b+c@ville-x.fr."
    assert [text[start:end] for start, end in link_spans(text)] == [
        "www.ville.fr/a",
        "a.b+c@ville-x.fr",
    ]
    masked = mask_links(text)
    assert len(masked) == len(text)
    assert masked.split() == ["Voir", "et", "écrire", "à", "."]
