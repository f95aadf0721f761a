"""Topics of competence (DESIGN.md slugs) recognised from lemmas.

`TOPIC_LEXICON` holds, for each topic, lemmas as `lemmas.lemma` returns them (a test
checks it), acronyms in lowercase. A text's score for a topic is the share of its
content lemmas that belong to the topic: a sentence about the school canteen scores
high for "education", a long article mentioning a school once scores low.
"""

from collections import Counter

from parvis.nlp.lemmas import lemmas
from parvis.nlp.text import word_set

TOPIC_LEXICON: dict[str, frozenset[str]] = {
    "voirie": word_set(
        """voirie rue route chaussée trottoir stationnement stationner parking
        parcmètre éclairage lampadaire signalisation panneau feu carrefour rond-point
        nid-de-poule déviation circulation chantier enrobé bitume piéton passage
        fourrière ralentisseur voie marquage embouteillage travaux réfection
        automobiliste"""
    ),
    "proprete": word_set(
        """propreté déchet poubelle encombrant tag graffiti ordure collecte tri
        recyclage déchèterie composteur compost conteneur dépôt benne verre emballage
        ramassage nettoyage balayage crotte biodéchet sauvage salubrité"""
    ),
    "transports": word_set(
        """transport bus tram tramway métro train gare ter autocar ligne arrêt vélo
        cyclable piste trottinette covoiturage mobilité navette abonnement ticket
        billet voyageur correspondance trajet autopartage borne recharge sncf"""
    ),
    "urbanisme": word_set(
        """urbanisme permis construire construction logement habitat immeuble
        lotissement aménagement quartier rénovation réhabilitation démolition plu
        plui foncier terrain bâtiment architecte cadastre zonage densification friche
        promoteur hlm bailleur travaux"""
    ),
    "education": word_set(
        """école scolaire élève enfant cantine périscolaire garderie crèche collège
        lycée jeunesse jeune enseignant maternelle élémentaire classe rentrée
        inscription loisir vacances parent bébé étudiant éducation atsem animateur
        alsh"""
    ),
    "environnement": word_set(
        """environnement arbre plantation vert parc jardin eau assainissement
        pollution air climat climatique biodiversité nature espèce abeille forêt
        rivière inondation sécheresse énergie solaire transition écologique
        végétalisation pesticide faune flore potager"""
    ),
    "culture": word_set(
        """culture culturel spectacle concert festival exposition musée médiathèque
        bibliothèque théâtre cinéma musique danse sport sportif match tournoi stade
        gymnase piscine club association loisir fête animation patrimoine livre
        lecture artiste atelier noël illumination manège carnaval bal artifice conte
        conteur jeu ludothèque randonnée course championnat équipe salon forum
        brocante vide-grenier exposant"""
    ),
    "social": word_set(
        """social solidarité santé senior aîné âgé handicap handicapé accessibilité
        aide précarité pauvreté ccas isolement autonomie ehpad soin médecin hôpital
        vaccination dépistage bénévole alimentaire insertion famille vulnérable
        canicule"""
    ),
    "economie": word_set(
        """économie économique emploi entreprise commerce commerçant artisan marché
        tourisme touriste hôtel restaurant boutique recrutement recruter offre
        candidature salarié chômage activité investissement agriculture agriculteur
        producteur"""
    ),
    "budget": word_set(
        """budget budgétaire fiscalité fiscal impôt taxe foncier dépense recette
        investissement dette emprunt subvention dotation finance financement euro
        million coût tarif contribuable épargne fonctionnement"""
    ),
    "securite": word_set(
        """sécurité sécuriser police gendarmerie gendarme policier tranquillité bruit
        nuisance incivilité vol cambriolage vidéoprotection caméra délinquance
        prévention alerte vigilance risque secours pompier accident danger urgence
        orage tempête vent rafale submersion crue neige verglas météo évacuation
        confinement"""
    ),
    "democratie": word_set(
        """citoyen citoyenneté démarche civil élection électeur électoral vote voter
        scrutin inscription participation consultation concertation réunion conseil
        municipal maire élu délibération mariage naissance décès passeport identité
        recensement pétition participatif"""
    ),
}


def topic_scores(text: str) -> dict[str, float]:
    """For every topic of `TOPIC_LEXICON`, the share (0–1) of the content lemmas of
    `text` that belong to it; all zeros for a text without content words."""
    counts = Counter(lemmas(text))
    total = sum(counts.values())
    if not total:
        return dict.fromkeys(TOPIC_LEXICON, 0.0)
    return {
        topic: sum(count for word, count in counts.items() if word in lexicon) / total
        for topic, lexicon in TOPIC_LEXICON.items()
    }
