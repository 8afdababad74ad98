"""Each language's quotation marks and attribution words, as data: what ``plain`` reads copy with.

One ``Lexicon`` per language, and nothing about a language anywhere else. The words are the
ones each agency's house style attributes with (AFP's `a déclaré`, dpa's `sagte` and `so`, EFE's
`afirmó`, ANSA's `ha dichiarato`), written out from the languages' grammar: a finite form is a cue
on its own, a participle only after its auxiliary (`a déclaré`, `ha detto`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Lexicon:
    """How one language marks and attributes a quote. Words are lower case."""

    language: str
    marks: Mapping[str, str]  # an opening mark → the marks that close it
    verbs: frozenset[str]  # finite forms that attribute on their own: `sagte`, `déclare`, `dijo`
    participles: frozenset[str]  # forms that attribute after an auxiliary: `déclaré`, `detto`
    auxiliaries: frozenset[str]  # `a`, `ont`, `ha`, `hanno`
    according: frozenset[str]  # a word that names the source after it, before or after the quote: `selon`
    after_only: frozenset[str]  # cues only right after a quote: dpa's `„…“, so Weber`
    pronouns: frozenset[str]  # subject pronouns a cue may take: `er sagte`, `a-t-il déclaré`
    articles: frozenset[str]
    roles: frozenset[str]  # what a source is called when not by name: `ministre`, `Sprecherin`
    titles: frozenset[str]  # written before a name, left out of it: `M.`, `Frau`, `Sr.`
    particles: frozenset[str] = frozenset()  # inside names: `de`, `von`, `di`
    addressed: frozenset[str] = frozenset()  # whom it was said to, before the speaker: `à` (l'AFP)
    compounds: bool = False  # roles end compound nouns: `Polizeisprecher`, `IHK-Geschäftsführer`
    relatives: frozenset[str] = frozenset()  # `…, Mathias Delorme, qui promet « … »`: the name before speaks

    def is_role(self, word: str) -> bool:
        """Is ``word`` (lower case) a role, or, where roles make compounds, a compound ending in one?"""
        return word in self.roles or (
            self.compounds and any(word.endswith(role) for role in self.roles if len(role) >= 5)
        )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Straight double marks pair with themselves in every language.
_STRAIGHT = {'"': '"'}

ENGLISH = Lexicon(
    language="en",
    marks=MappingProxyType({"“": "”»", "„": "”»", "«": "”»", **_STRAIGHT}),
    verbs=_words("said says told tells added adds asked asks explained explains wrote writes insisted warned"),
    participles=_words("said told added asked explained written insisted warned"),
    auxiliaries=_words("has have had"),
    according=_words("according"),
    after_only=frozenset(),
    pronouns=_words("he she they we i"),
    articles=_words("the a an"),
    roles=_words(
        "spokesman spokeswoman spokesperson minister president mayor official director chief secretary "
        "prosecutor lawyer governor senator leader chairman chairwoman police"
    ),
    titles=_words("mr mrs ms dr prof sen rep gov gen"),
    particles=_words("de van von"),
    addressed=_words("to"),
)

FRENCH = Lexicon(
    language="fr",
    marks=MappingProxyType({"«": "»", "“": "”", **_STRAIGHT}),
    verbs=_words(
        "déclare déclarent affirme affirment dit disent explique expliquent ajoute ajoutent estime estiment "
        "souligne soulignent indique indiquent précise précisent assure assurent confie confient poursuit "
        "insiste lance martèle reconnaît prévient avertit raconte témoigne rappelle conclut admet annonce "
        "commente résume regrette déplore juge observe note relève répond réplique s'exclame salue saluent "
        "réagit réagissent dénonce dénoncent réclame réclament demande demandent appelle appellent fustige "
        "critique plaide tranche ironise répète confirme dément promet glisse concède nuance écrit tweete "
        "exhorte s'inquiète s'insurge s'interroge se félicite se réjouit"
    ),
    # after `a`/`ont` (`a déclaré`), or after `s'est` with the subject's gender (`s'est dite`)
    participles=_words(
        "déclaré affirmé dit expliqué ajouté estimé souligné indiqué précisé assuré confié poursuivi "
        "insisté lancé martelé reconnu prévenu averti raconté témoigné rappelé conclu admis annoncé "
        "commenté résumé regretté déploré jugé observé noté relevé répondu répliqué qualifié promis "
        "salué réagi dénoncé réclamé demandé appelé fustigé critiqué plaidé tranché ironisé répété "
        "confirmé démenti glissé concédé nuancé écrit tweeté exhorté "
        "dite dits dites félicité félicitée réjoui réjouie inquiété inquiétée insurgé insurgée "
        "interrogé interrogée montré montrée emporté emportée"
    ),
    auxiliaries=_words("a ont avait avaient aura s'est s’est"),
    according=_words("selon d'après d’après"),
    after_only=frozenset(),
    pronouns=_words("il elle ils elles"),
    articles=_words("le la les l' l’ un une"),
    roles=_words(
        "ministre président présidente porte-parole maire directeur directrice secrétaire procureur "
        "procureure avocat avocate chef cheffe responsable député députée sénateur sénatrice préfet "
        "préfète commissaire juge ambassadeur ambassadrice dirigeant dirigeante entraîneur capitaine "
        "médecin expert experte économiste syndicaliste représentant représentante premier première"
    ),
    titles=_words("m mme mlle dr me pr"),
    particles=_words("de du des d' d’"),
    addressed=_words("à au aux"),
    relatives=_words("qui"),
)

GERMAN = Lexicon(
    language="de",
    marks=MappingProxyType({"„": "“”", "»": "«", "«": "»", "“": "”", **_STRAIGHT}),
    verbs=_words(
        "sagte sagt sagten sagen erklärte erklärt erklärten betonte betont betonten meinte meint "
        "fügte ergänzte ergänzt teilte warnte warnt kritisierte kritisiert forderte fordert versicherte "
        "versichert berichtete berichtet bestätigte bestätigt unterstrich unterstreicht antwortete "
        "antwortet schrieb schreibt sprach räumte nannte nennt"
    ),
    participles=_words("gesagt erklärt betont gemeint gewarnt kritisiert gefordert versichert"),
    auxiliaries=_words("hat haben hatte hatten"),
    according=_words("laut"),
    after_only=_words("so"),
    pronouns=_words("er sie"),
    articles=_words("der die das den dem des ein eine einer eines einem"),
    roles=_words(
        "bürgermeister bürgermeisterin minister ministerin kanzler kanzlerin bundeskanzler "
        "bundeskanzlerin präsident präsidentin sprecher sprecherin polizeisprecher polizeisprecherin "
        "regierungssprecher regierungssprecherin chef chefin vorsitzende vorsitzender staatsanwalt "
        "staatsanwältin trainer trainerin direktor direktorin abgeordnete abgeordneter "
        "ministerpräsident ministerpräsidentin landrat landrätin experte expertin geschäftsführer "
        "geschäftsführerin innenminister innenministerin außenminister außenministerin dezernent "
        "dezernentin vorstand vorständin leiter leiterin sprecher sprecherin senator senatorin"
    ),
    titles=_words("herr frau dr prof"),
    particles=_words("von van zu"),
    compounds=True,
)

SPANISH = Lexicon(
    language="es",
    marks=MappingProxyType({"«": "»", "“": "”", **_STRAIGHT}),
    verbs=_words(
        "dijo dice dijeron afirmó afirma afirmaron declaró declara declararon aseguró asegura aseguraron "
        "explicó explica explicaron señaló señala señalaron indicó indica indicaron añadió añade "
        "subrayó subraya manifestó manifiesta destacó destaca agregó agrega sostuvo sostiene advirtió "
        "advierte insistió insiste apuntó precisó reconoció comentó expresó respondió"
    ),
    participles=_words("dicho afirmado declarado asegurado explicado señalado indicado añadido"),
    auxiliaries=_words("ha han había habían"),
    according=_words("según"),
    after_only=frozenset(),
    pronouns=_words("él ella"),
    articles=_words("el la los las un una"),
    roles=_words(
        "ministro ministra presidente presidenta portavoz alcalde alcaldesa director directora "
        "secretario secretaria fiscal juez jueza jefe jefa diputado diputada senador senadora "
        "gobernador gobernadora embajador embajadora consejero consejera delegado delegada "
        "responsable entrenador entrenadora concejal concejala"
    ),
    titles=_words("sr sra d dña dr dra"),
    particles=_words("de del y"),
    addressed=_words("a al"),
    relatives=_words("quien quienes"),
)

ITALIAN = Lexicon(
    language="it",
    marks=MappingProxyType({"«": "»", "“": "”", **_STRAIGHT}),
    verbs=_words(
        "dice dicono afferma affermano dichiara dichiarano spiega spiegano aggiunge aggiungono "
        "sottolinea sottolineano osserva precisa conclude commenta ribadisce avverte annuncia racconta"
    ),
    participles=_words(
        "dichiarato detto affermato spiegato aggiunto sottolineato osservato precisato concluso "
        "commentato ribadito avvertito annunciato raccontato"
    ),
    auxiliaries=_words("ha hanno aveva avevano"),
    according=_words("secondo"),
    after_only=frozenset(),
    pronouns=_words("lui lei"),
    articles=_words("il lo la l' l’ i gli le un uno una"),
    roles=_words(
        "sindaco sindaca ministro ministra presidente premier portavoce direttore direttrice segretario "
        "segretaria procuratore procuratrice giudice capo assessore assessora deputato deputata "
        "senatore senatrice governatore ambasciatore allenatore questore prefetto commissario consigliere"
    ),
    titles=_words("sig sig.ra dott dott.ssa on prof"),
    particles=_words("di de del della da"),
    addressed=_words("a al all' all’ alla ad"),
)

LEXICONS: Mapping[str, Lexicon] = MappingProxyType(
    {lexicon.language: lexicon for lexicon in (ENGLISH, FRENCH, GERMAN, SPANISH, ITALIAN)}
)
# A language with no lexicon of its own still has quote marks: these, and no cue words.
NO_WORDS = Lexicon(
    language="",
    marks=MappingProxyType({"“": "”", "„": "“”", "«": "»", "»": "«", "”": "”", **_STRAIGHT}),
    verbs=frozenset(),
    participles=frozenset(),
    auxiliaries=frozenset(),
    according=frozenset(),
    after_only=frozenset(),
    pronouns=frozenset(),
    articles=frozenset(),
    roles=frozenset(),
    titles=frozenset(),
)


def lexicon_for(language: str | None) -> Lexicon:
    """The lexicon of a language code (`de`, `fr-FR`); English when none is given, no words when unknown."""
    if not language:
        return ENGLISH
    return LEXICONS.get(language.split("-")[0].split("_")[0].lower(), NO_WORDS)
