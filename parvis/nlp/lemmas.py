"""French lemmas with simplemma, lowercase, without stopwords.

`lemma(word)` is cached: a text of a few hundred words costs a few dictionary look-ups
once the vocabulary has been seen. Acronyms ("PLU", "CCAS") are kept as they are
(lowercased), since a dictionary would read "PLU" as the past participle of "plaire".
"""

import re
from functools import lru_cache

import simplemma

from parvis.nlp.text import word_set, words

# Elided words before an apostrophe ("l'école", "qu'il", "jusqu'au").
ELISIONS = word_set("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu")
# Words whose apostrophe belongs to them.
APOSTROPHE_WORDS = frozenset(["aujourd'hui", "prud'homme", "prud'hommes", "quelqu'un"])

# Pronouns joined to a verb by a hyphen ("inscrivez-vous", "a-t-il").
_PRONOUN_SUFFIX_RE = re.compile(
    r"(?:-t)?-(?:je|tu|il|elle|on|nous|vous|ils|elles|moi|toi|le|la|les|lui|leur|"
    r"en|y|ce)$"
)

# Where simplemma's French dictionary disagrees with the words of local life.
OVERRIDES = {
    "travaux": "travaux",  # not "travail": roadworks and building works
    "été": "été",  # the season is more frequent in local news than "être"'s participle
    "tags": "tag",
    "données": "donnée",
    "élus": "élu",
    "cours": "cours",
    "vacances": "vacances",  # the holidays, not "vacance" (a vacancy)
    "chaussée": "chaussée",
    "chaussées": "chaussée",
    "salarié": "salarié",
    "salariés": "salarié",
    "salariée": "salarié",
    "salariées": "salarié",
}

STOPWORDS: frozenset[str] = word_set(
    """
    a à ai aie aient aies ait alors as au aucun aucune auquel aussi autre
    autres aux auxquelles auxquels avaient avais avait avant avec avez aviez avions
    avoir avons ayant ayez ayons
    bien c ça car ce ceci cela celle celles celui cependant certain certaine certaines
    certains ces cet cette ceux chacun chacune chaque chez ci comme comment contre
    d dans de depuis des desquelles desquels dessous dessus deux devoir doit donc dont
    du duquel durant dès déjà
    elle elles en encore entre es est et étaient étais était etc êtes étiez étions
    être eu eue eues eurent eus eut eux faire fait font fut furent
    hors ici il ils j je jusqu jusque l la laquelle le lequel les lesquelles lesquels
    leur leurs lors lorsque lui m ma mais me même mêmes mes moi moins mon
    n ne ni non nos notre nous on ont or ou où oui par parce parmi pas pendant peu
    peut peuvent plus plusieurs pour pourquoi pouvoir puis qu quand que quel quelle
    quelles quels qui quoi s sa sans se selon sera serai seraient serais serait
    seras serez seriez serions serons seront ses si sien sienne sinon soi soient sois
    soit sommes son sont sous suis sur t ta te tes toi ton tous tout toute toutes
    très tu un une unes uns vers voici voilà vos votre vouloir vous y
    aller ainsi alors après aujourd'hui autour beaucoup cet chaque c'est là lès
    afin auprès lorsqu puisque quoique tandis également ensuite toujours jamais
    plutôt surtout souvent tant tel telle tels telles cela ceci via
    """
)

_LETTER_RE = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    """The lemma of one word, lowercase ("Écoles" -> "école", "PLU" -> "plu")."""
    lowered = word.lower().replace("’", "'")
    if lowered in OVERRIDES:
        return OVERRIDES[lowered]
    if len(word) > 1 and word.isupper():
        return lowered
    result = str(simplemma.lemmatize(lowered, lang="fr")).lower()
    if result == lowered and lowered.endswith("s") and len(lowered) > 4:
        # A plural the dictionary lacks ("périscolaires"): its singular, if known.
        singular = lowered[:-1]
        if simplemma.is_known(singular, lang="fr"):
            return str(simplemma.lemmatize(singular, lang="fr")).lower()
    return result


@lru_cache(maxsize=100_000)
def content_lemma(token: str) -> str:
    """The lemma of a token as `words` returns it, or "" for a stopword."""
    lowered = token.lower().replace("’", "'")
    if "'" in lowered and lowered not in APOSTROPHE_WORDS:
        head, _, rest = lowered.partition("'")
        if head in ELISIONS:
            token, lowered = token[len(head) + 1 :], rest
    if "-" in lowered:
        stripped = _PRONOUN_SUFFIX_RE.sub("", lowered)
        if stripped != lowered:
            token, lowered = token[: len(stripped)], stripped
    if not lowered or lowered in STOPWORDS or not _LETTER_RE.search(lowered):
        return ""
    result = lemma(token)
    return "" if result in STOPWORDS else result


def lemmas(text: str) -> list[str]:
    """The content lemmas of `text`, in order: lowercase, without French stopwords,
    punctuation or numbers."""
    result = []
    for token in words(text):
        value = content_lemma(token)
        if value:
            result.append(value)
    return result
