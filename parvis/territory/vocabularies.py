"""Shared vocabularies of DESIGN.md: stable slugs in code, French labels for people."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")


class Topic(models.TextChoices):
    VOIRIE = "voirie", _("Voirie, stationnement, éclairage, signalisation")
    PROPRETE = "proprete", _("Propreté, déchets, encombrants, tags")
    TRANSPORTS = "transports", _("Transports, vélo, mobilité")
    URBANISME = "urbanisme", _("Urbanisme, travaux, logement")
    EDUCATION = "education", _("Écoles, cantine, périscolaire, crèches, jeunesse")
    ENVIRONNEMENT = "environnement", _("Espaces verts, eau, climat, biodiversité")
    CULTURE = "culture", _("Culture, sport, loisirs, événements, associations")
    SOCIAL = "social", _("Action sociale, santé, seniors, handicap, solidarité")
    ECONOMIE = "economie", _("Économie, emploi, commerce, tourisme")
    BUDGET = "budget", _("Budget, fiscalité, impôts locaux")
    SECURITE = "securite", _("Sécurité, tranquillité publique, bruit")
    DEMOCRATIE = "democratie", _("Vie citoyenne, démarches, état civil, élections")
    AUTRE = "autre", _("Autre")


class Register(models.TextChoices):
    VOUS = "vous", _("Vouvoiement")
    TU = "tu", _("Tutoiement")


class Tone(models.TextChoices):
    INSTITUTIONNEL = "institutionnel", _("Institutionnel")
    CHALEUREUX = "chaleureux", _("Chaleureux")
    PRATIQUE = "pratique", _("Pratique et direct")
    DYNAMIQUE = "dynamique", _("Dynamique")
    PROFESSIONNEL = "professionnel", _("Professionnel")


class Network(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"


class ElectionKind(models.TextChoices):
    MUNICIPALES = "municipales", _("Municipales et communautaires")
    DEPARTEMENTALES = "departementales", _("Départementales")
    REGIONALES = "regionales", _("Régionales")
    LEGISLATIVES = "legislatives", _("Législatives")
    PRESIDENTIELLE = "presidentielle", _("Présidentielle")
    EUROPEENNES = "europeennes", _("Européennes")
    AUTRE = "autre", _("Autre scrutin (partielle, référendum local)")


class Intent(models.TextChoices):
    QUESTION = "question", _("Question")
    SIGNALEMENT = "signalement", _("Signalement (problème dans l'espace public)")
    RECLAMATION = "reclamation", _("Réclamation (sur un service)")
    SUGGESTION = "suggestion", _("Suggestion")
    REMERCIEMENT = "remerciement", _("Remerciement")
    ABUS = "abus", _("Abus (insulte, haine, spam)")
    AUTRE = "autre", _("Autre")


class Sentiment(models.TextChoices):
    NEGATIF = "negatif", _("Négatif")
    NEUTRE = "neutre", _("Neutre")
    POSITIF = "positif", _("Positif")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class Level(models.TextChoices):
    """The level of government competent for a request (DESIGN.md)."""

    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    ETAT = "etat", _("État")
