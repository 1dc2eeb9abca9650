"""Telling the language of an article by its function words, and saying when it cannot.

The method: lower-case a sample of the text (the headline and the first
paragraphs, up to 400 characters, about 55 words), split it into words, and
count, for each language, how many distinct words of the sample are among its
most frequent function words (the articles, pronouns, prepositions and
conjunctions that make up a third of any text; 25 to 113 per language, and a word
such as ``de`` or ``in`` may be in several lists). The language with most wins
when

- it has at least :data:`MIN_WORDS` and at least :data:`MIN_LEAD` more than any
  other, and
- against every other language, the words found only in the winner's list are
  at least :data:`MIN_RATIO` times those found only in the other's: close
  relatives (Danish and Norwegian, Spanish and Catalan) share most of their
  lists, so only the words they do not share decide between them, and a text
  that is half one language and half another has many of each.

When the function words alone do not decide, letters that only some of these
languages write (Polish ł, Czech ř, Danish and Norwegian æ and ø, ...) count as
one more word for their languages, and the rule is applied again. Otherwise,
when at least half the sample's letters are in a script that one language writes
nearly alone (Japanese kana, Korean, Greek, Thai …; see
:data:`SCRIPT_LANGUAGES`), it is that language; else the language is
:data:`UNDETERMINED`, which claims nothing, and the parser reports
``language-guess``. A language without a list finds few words in any list and is
undetermined too, not labelled as its nearest neighbour.

A split, a set intersection and a count cost a few microseconds per article and
need no model; docs/format.md has the languages and the figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from newsarticle._models import Article, Section

__all__ = [
    "LANGUAGE_NAMES",
    "MIN_LEAD",
    "MIN_RATIO",
    "MIN_WORDS",
    "SAMPLE_CHARS",
    "SCRIPT_LANGUAGES",
    "UNDETERMINED",
    "Detection",
    "detect_article_language",
    "detect_language",
    "section_texts",
    "stated_language_needed",
]

#: BCP 47's tag for "undetermined": what a text is labelled when its language is not clear.
UNDETERMINED = "und"
#: How much text detection reads: enough for a dozen function words, and a fixed cost.
SAMPLE_CHARS = 400
#: The fewest distinct function words of one language that name it.
MIN_WORDS = 3
#: How many more the winner needs than the runner-up; a tie or a near tie is mixed or unclear text.
MIN_LEAD = 2
#: How many times more words only the winner's list has than only another's (with each other language).
MIN_RATIO = 2.5

# Each language's most frequent function words in news prose, and a few frequent words spelt differently in
# close languages (Danish blev, procent; Norwegian ble, prosent), which are what tells those apart.
_PROFILES = {
    "bg": (
        "Bulgarian",
        "си ако може само както когато тези тази този беше бяха има няма още вече обаче при и в на за да се е "
        "не от че това са с по който която които след ще като тя той бъде също между бе със към във но",
    ),
    "ca": (
        "Catalan",
        "si de la i el que a en els per amb un una del no es les va al més però dels seva aquesta aquest molt "
        "també pel fins són hi ho això perquè després segons quan",
    ),
    "cs": (
        "Czech",
        "od ze procent pokud jestli ani jak co mohou mu ho jim tato tyto jež jsme není bez pouze rovněž avšak "
        "tedy zda a se na v je že o s z do to i jako k ve pro by za ale jsou byl byla bylo také podle jeho "
        "který která které po už než při jen může ještě již jejich mezi tak roce této však nebo aby kde když "
        "jsem tím být bude proto řekl",
    ),
    "da": (
        "Danish",
        "man op da lidt måske altid aldrig derefter imod desuden gøre gør fået gået give giver tage tager "
        "hvornår hinanden uge haft jer næste bag procent næsten især lige selvom igennem ind os dig mig sådan "
        "nogen noget uden blive mere anden andet og i at det en til er som på de med han af for ikke der var "
        "den har sig men et om kan efter også når skal vil være hvis fra blev havde mellem ud nogle været "
        "siger bliver hende vores mod endnu tilbage sidste fik gik sagde blevet gennem hvad meget kun",
    ),
    "de": (
        "German",
        "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden "
        "aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur "
        "oder aber vor zur bis mehr durch man dann soll wurde seit gegen dieser diese sei seine ihre",
    ),
    "el": (
        "Greek",
        "και το της του να η την ο σε για με τα που των από στο στην είναι θα δεν οι ένα στα τον ότι",
    ),
    "en": (
        "English",
        "the of and to a in is that for it as was with be by on not he this are or his from at which but have "
        "an had they you were their one all we been has her there when would who will more if no out so said "
        "what up its about into than them can only other new some could these two may then do first any now "
        "such our over also after",
    ),
    "es": (
        "Spanish",
        "si ni sino ante cada todos todas será hace ahora después además aún año años otro otra casi mismo "
        "misma ellos ella cual quien mucho muchos tan hoy hacia es de la que el en y a los del se las por un "
        "para con no una su al lo como más pero sus le ya o este fue ha porque esta entre cuando muy sin "
        "sobre también me hasta hay donde desde todo nos durante según tras dijo son ser está están era "
        "fueron",
    ),
    "fi": (
        "Finnish",
        "ja on ei että se oli hän mutta myös kun tai joka ovat mukaan ole sen jo nyt vain kuin tämä mitä "
        "jälkeen voi olla jotka jos sitä sekä vuonna vielä siitä hänen jonka he ne",
    ),
    "fr": (
        "French",
        "à si après avant sans sous chez vers contre encore déjà très bien alors donc car où dont lui leurs "
        "nous vous ils elles ces cet de la le et les des en du un une est que pour qui dans a par plus pas au "
        "sur ne se ce il sont ont avec son été aux elle mais ou leur cette comme aussi selon depuis était "
        "lors tout sa ses y entre même deux",
    ),
    "hu": (
        "Hungarian",
        "akkor ha amikor így úgy azonban mivel miatt által során több mely melyek azok ezek ezért lehet nincs "
        "a az és hogy nem is egy meg van már csak volt mint ez azt még után szerint pedig vagy kell lesz "
        "amely ami amit ezt között de el sem majd mert ahol minden lett hanem illetve valamint be ki fel",
    ),
    "it": (
        "Italian",
        "negli nelle dalle agli ed ci però mentre senza verso contro presso ogni tutti tutto sempre poi così "
        "invece quindi fino circa dove quale quali suoi sue ieri oggi di e il la che è per un in non del le i "
        "si da una al della con sono gli ha alla anche più come ma dei nel lo delle dal tra dopo questo "
        "questa stato secondo essere già ancora loro hanno molto perché sul cui nella ai era stati",
    ),
    "nb": (
        "Norwegian Bokmål",
        "man da litt kanskje alltid aldri deretter imot dessuten gjøre gjør fått gått gi gir ta tar tok "
        "hverandre uke hatt dere igjen neste bak prosent nesten særlig fortsatt enda inn oss deg meg slik noe "
        "uten bli annen annet og i det som en på er til av at for med ikke har de den han var seg men et om "
        "kan etter også når skal vil være hvis fra ble hadde mellom ut noen vært sier blir henne mot ennå "
        "tilbake siste fikk gikk å enn nå blitt gjennom hva mye bare",
    ),
    "nl": (
        "Dutch",
        "of procent de het een en van in is dat op te zijn met voor niet die aan er ook als maar bij door om "
        "naar werd worden wordt heeft hij ze deze nog dit tot uit over zou hun geen meer hebben was al kan "
        "wel zich haar",
    ),
    "pl": (
        "Polish",
        "procent prawie żeby ponad wśród wobec dzięki bardziej wciąż nadal natomiast czyli lecz ponieważ bo "
        "choć jeśli gdyż teraz dziś wczoraj nim niej nas było był była były aby we pod lub niż jako gdzie "
        "wraz podczas około więc tej tych którzy których swoje i w na z się nie do to że jest o a jak ale po "
        "od za co przez dla tak już jego czy który która które być został także oraz również może tego jednak "
        "są tym przy tylko bardzo będzie gdy jej przed według jeszcze kiedy między też ich roku ze którym "
        "którego której którą będą zostanie została zostało zostały mogą można nad bez tam tu ten ta te",
    ),
    "pt": (
        "Portuguese",
        "cada será todas todos este esta numa num duas dois pelas às nesta neste nessa quase mesmo onde cerca "
        "ter têm vai vão devido porém então agora sem seja pode podem de a o que e do da em um para é com não "
        "uma os no se na por mais as dos como mas foi ao ele das tem à seu sua ou ser quando muito há nos já "
        "está também pelo pela até isso ela entre depois aos após segundo disse ainda são foram",
    ),
    "ro": (
        "Romanian",
        "va al ale de și şi în a la cu care pe din că nu o un se mai fost sunt este pentru lui prin după dar "
        "această acest sau dintre foarte fiind însă precum cel cea cei unui unei fie poate astfel ca doar "
        "acum încă au ce",
    ),
    "ru": (
        "Russian",
        "если можно чем когда где того этой этот эти есть быть том их её ему них своих под мы они были был "
        "была до может чтобы этом во со без году между и в не на что с по это как он к из для о от за так его "
        "но же было только уже также при который которые года после более будет или этого она все",
    ),
    "sk": (
        "Slovak",
        "od pokiaľ ani môžu nie táto tieto ktorých ktorej ktorú sme teda a sa na v je že o s z do to i ako k "
        "vo pre by za ale sú bol bola bolo tiež podľa jeho ktorý ktorá ktoré po už než pri len môže ešte ich "
        "medzi tak roku tejto však alebo aby kde keď aj som byť či iba ktorí povedal",
    ),
    "sv": (
        "Swedish",
        "man blev nu mot ut procent då där här vad vilket vilka varit blivit redan nya två innan medan bland "
        "nästan alla andra dock upp ännu sitt inom kring mer annan annat inga ingen sådan och i att det som "
        "en på är av för med till den har de inte om ett var jag sig men kan efter under också eller vid hade "
        "sade säger även när utan mycket någon några detta vara sina från ska hon deras enligt över sedan "
        "mellan bara eftersom år",
    ),
    "tr": (
        "Turkish",
        "birçok veya ayrıca diğer tüm bütün kendi önce var yok sadece üzere etti edildi eden oldu ve bir bu "
        "da de için ile olarak daha çok en gibi ama kadar olan sonra ise değil göre tarafından ancak ki şu "
        "olduğu olduğunu yılında karşı ilk o ne her",
    ),
    "uk": (
        "Ukrainian",
        "ці цей ця ми вони є бути коли де якщо чи лише тільки між під без своїх може можна тому проте однак "
        "зокрема того і в у не на що з до це як від для про за та але його вже також було який яка які щоб ще "
        "він її року після через має буде або цього вона при так",
    ),
}  # fmt: skip

#: The languages detection tells apart: tag to English name.
LANGUAGE_NAMES = {tag: name for tag, (name, _) in _PROFILES.items()}


_TAGS = tuple(_PROFILES)
# All languages are counted in one integer: each has a byte of it (every list is shorter than 256 words), and a
# word's weight adds 1 to the byte of each language whose list has it. One sum over the words found counts every
# language at once, and to_bytes reads the counts out, both in C: this is the parser's hottest function.
_SHIFTS = tuple(range(0, 8 * len(_TAGS), 8))


def _weights(profiles: Mapping[str, tuple[str, str]]) -> dict[str, int]:
    """Each function word with its weight: 1 in the byte of each language whose list has it."""
    weights: dict[str, int] = {}
    for shift, (_, words) in zip(_SHIFTS, profiles.values(), strict=True):
        for word in words.split():
            weights[word] = weights.get(word, 0) + (1 << shift)
    return weights


_WEIGHT = _weights(_PROFILES)
_VOCABULARY = frozenset(_WEIGHT)

# Letters that only some of these languages write. When the function words do not decide, each group found in the
# sample counts as one more word for its languages (a pseudo-word, "<pl>", so that it is counted once however many
# of its letters occur): Polish ł or ż, Czech ř, Spanish ñ, Danish and Norwegian æ or ø, Romanian ă, Turkish ğ …
_LETTER_GROUPS = {
    "<ca>": ("·", ("ca",)),
    "<cs>": ("řěů", ("cs",)),
    "<cs-sk>": ("čšžťďň", ("cs", "sk")),
    "<da-nb>": ("æø", ("da", "nb")),
    "<de>": ("ß", ("de",)),
    "<es>": ("ñ¿¡", ("es",)),
    "<hu>": ("őű", ("hu",)),
    "<pl>": ("ąęłśźżńć", ("pl",)),
    "<pt>": ("ãõ", ("pt",)),
    "<ro>": ("ăţțș", ("ro",)),
    "<ru>": ("ыэё", ("ru",)),
    "<sk>": ("ľĺŕ", ("sk",)),
    "<tr>": ("ğı", ("tr",)),
    "<uk>": ("ієїґ", ("uk",)),
}
_GROUP_OF = {letter: mark for mark, (letters, _) in _LETTER_GROUPS.items() for letter in letters}
_WEIGHT.update(
    (mark, sum(1 << _SHIFTS[_TAGS.index(tag)] for tag in tags)) for mark, (_, tags) in _LETTER_GROUPS.items()
)


def _letter_marks(sample: str) -> set[str]:
    """The letter groups whose letters occur in the sample, as their pseudo-words."""
    return {_GROUP_OF[letter] for letter in set(sample.lower()).intersection(_GROUP_OF)}


def _counts(words: Iterable[str]) -> bytes:
    """How many of ``words`` each language's list has, one byte per language in the order of _TAGS."""
    return sum(map(_WEIGHT.__getitem__, words)).to_bytes(len(_TAGS), "little")


class Detection(NamedTuple):
    """What detection found: a tag (or :data:`UNDETERMINED`), whether it is sure, and the evidence."""

    language: str
    confident: bool
    #: How many distinct function words of the sample each language's list has, a byte each, in the order of
    #: LANGUAGE_NAMES.
    found: bytes

    @property
    def counts(self) -> dict[str, int]:
        """The languages with any function word in the sample, and how many: ``{"de": 9, "en": 2}``."""
        return {tag: count for tag, count in zip(_TAGS, self.found, strict=True) if count}

    def summary(self) -> str:
        """The evidence in words, for a message: ``4 Danish, 4 Norwegian Bokmål and 2 Swedish function words``."""
        ranked = sorted(self.counts.items(), key=_most_first)[:3]
        if not ranked:
            return f"no function word of the {len(LANGUAGE_NAMES)} languages it knows"
        found = [f"{count} {LANGUAGE_NAMES[tag]}" for tag, count in ranked]
        listed = found[0] if len(found) == 1 else f"{', '.join(found[:-1])} and {found[-1]}"
        one = len(ranked) == 1 and ranked[0][1] == 1
        return f"{listed} function word{'' if one else 's'}"


def detect_language(texts: Iterable[str]) -> Detection:
    """Detect the language of the text pieces, read in order up to :data:`SAMPLE_CHARS` characters."""
    return _detect(_sample(texts))


def detect_article_language(headline: str, sections: Iterable[Section]) -> Detection:
    """``detect_language(section_texts(headline, sections))``: the parser's case, without a generator."""
    return _detect(_article_sample(headline, sections))


def _detect(sample: str) -> Detection:
    # A comma or full stop clings to the word before it ("mødt op, da"); the rest rarely follows a function word.
    words = _VOCABULARY.intersection(sample.lower().replace(",", " ").replace(".", " ").split())
    found = _counts(words)
    winner = _winner(words, found)
    if winner is None:
        # Function words alone do not decide: letters only some of the languages write are more evidence.
        marked = words | _letter_marks(sample)
        if len(marked) > len(words):
            winner = _winner(marked, _counts(marked))
    if winner is not None:
        return Detection(_TAGS[winner], True, found)
    by_script = _by_script(sample)
    return Detection(by_script or UNDETERMINED, by_script is not None, found)


def _winner(words: AbstractSet[str], found: bytes) -> int | None:
    """The index of the language the rule of this module names, or None."""
    ranked = sorted(found)
    best, runner_up = ranked[-1], ranked[-2]
    if best < MIN_WORDS or best - runner_up < MIN_LEAD:
        return None
    winner = found.index(best)
    # MIN_RATIO times the runner-up's count holds against every language; only a close race counts shared words.
    if best < MIN_RATIO * runner_up and not _outweighs(winner, words, found):
        return None
    return winner


def _outweighs(winner: int, words: Iterable[str], found: bytes) -> bool:
    """Whether the winner has :data:`MIN_RATIO` times the words of its own against each other language."""
    bit = 1 << _SHIFTS[winner]
    shared = _counts(word for word in words if _WEIGHT[word] & bit)
    best = found[winner]
    return all(best - both >= MIN_RATIO * (count - both) for count, both in zip(found, shared, strict=True))


# Scripts that one language writes nearly alone, for text whose function words do not tell: Japanese (its kana;
# Chinese has none), Korean, Greek, Armenian, Georgian, Thai, Lao, Khmer, Sinhala, Tamil, Telugu, Malayalam,
# Gujarati, Odia, Punjabi (Gurmukhi) and Dhivehi (Thaana). Latin, Cyrillic, Arabic, Hebrew, Devanagari, Bengali and
# Han letters are each shared by several languages, so they name none.
_SCRIPTS = tuple(
    (tag, re.compile(f"[{letters}]"))
    for tag, letters in (
        ("ja", "\u3040-\u30ff\u31f0-\u31ff"),
        ("ko", "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"),
        ("el", "\u0370-\u03ff\u1f00-\u1fff"),
        ("hy", "\u0531-\u058f"),
        ("ka", "\u10a0-\u10ff\u1c90-\u1cbf"),
        ("th", "\u0e00-\u0e7f"),
        ("lo", "\u0e80-\u0eff"),
        ("km", "\u1780-\u17ff"),
        ("si", "\u0d80-\u0dff"),
        ("ta", "\u0b80-\u0bff"),
        ("te", "\u0c00-\u0c7f"),
        ("ml", "\u0d00-\u0d7f"),
        ("gu", "\u0a80-\u0aff"),
        ("or", "\u0b00-\u0b7f"),
        ("pa", "\u0a00-\u0a7f"),
        ("dv", "\u0780-\u07bf"),
    )
)
#: The languages told by their script alone, when function words do not tell.
SCRIPT_LANGUAGES = tuple(tag for tag, _ in _SCRIPTS)
_ANY_SCRIPT = re.compile("|".join(script.pattern for _, script in _SCRIPTS))
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _by_script(sample: str) -> str | None:
    """The language whose own script writes at least half the sample's letters (and 4 or more), or None."""
    if _ANY_SCRIPT.search(sample) is None:  # the common case, a Latin or Cyrillic text, in one scan
        return None
    letters = sum(map(str.isalpha, sample))
    for tag, script in _SCRIPTS:
        count = len(script.findall(sample))
        if tag == "ja" and count:
            # Japanese writes kana among Chinese characters: enough kana tell it from Chinese.
            count = count + len(_HAN.findall(sample)) if 5 * count >= letters else 0
        if count >= 4 and 2 * count >= letters:
            return tag
    return None


def _sample(texts: Iterable[str]) -> str:
    parts: list[str] = []
    size = 0
    for text in texts:
        parts.append(text[: SAMPLE_CHARS - size])  # a long paragraph is not copied whole
        size += len(text) + 1
        if size >= SAMPLE_CHARS:
            break
    return " ".join(parts)


def _article_sample(headline: str, sections: Iterable[Section]) -> str:
    """``_sample(section_texts(headline, sections))``, read from the sections directly."""
    size = len(headline) + 1
    if size >= SAMPLE_CHARS:
        return headline[:SAMPLE_CHARS]
    parts = [headline]
    for section in sections:
        heading = section.heading
        if heading is not None:
            parts.append(heading[: SAMPLE_CHARS - size])
            size += len(heading) + 1
            if size >= SAMPLE_CHARS:
                return " ".join(parts)
        for paragraph in section.paragraphs:
            parts.append(paragraph[: SAMPLE_CHARS - size])
            size += len(paragraph) + 1
            if size >= SAMPLE_CHARS:
                return " ".join(parts)
    return " ".join(parts)


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def section_texts(headline: str, sections: Iterable[Section]) -> Iterator[str]:
    """The pieces detection reads: the headline, then headings and paragraphs in order."""
    yield headline
    for section in sections:
        if section.heading is not None:
            yield section.heading
        yield from section.paragraphs


def stated_language_needed(article: Article) -> bool:
    """Whether the text format must state ``article.language`` because detection would not find it."""
    detection = detect_article_language(article.headline, article.sections)
    return not detection.confident or detection.language != article.language
