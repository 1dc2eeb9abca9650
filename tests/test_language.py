"""Language detection on real paragraphs, the undetermined result when it cannot tell, and ``default_language``."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from language_samples import SAMPLES
from newsarticle import (
    Article,
    Diagnostic,
    ParseError,
    Section,
    UnknownLocaleError,
    parse,
    parse_file,
    render,
    unparse,
)
from newsarticle._language import _PROFILES, LANGUAGE_NAMES, SAMPLE_CHARS, SCRIPT_LANGUAGES, detect_language
from newsarticle._parser import check_language_tag
from scaling import lowest_doubling_ratio

#: The languages the issue names: those Babel formats best in Europe.
MAIN = ("de", "en", "fr", "es", "it", "nl", "pt", "pl", "sv", "da")

CASES = [(tag, paragraph) for tag, paragraphs in SAMPLES.items() for paragraph in paragraphs]
IDS = [f"{tag}-{index}" for tag, paragraphs in SAMPLES.items() for index in range(len(paragraphs))]


def text(body: str, *, headline: str = "Update", date: str = "2025-02-27") -> str:
    return f"Lokales\n{headline}\n{date}\n\n{body}\n"


def parsed(data: str, **options: str) -> tuple[Article, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    return parse(data, on_diagnostic=diagnostics.append, **options), diagnostics


def _cut(paragraph: str, limit: int) -> str:
    """The paragraph's words that fit in ``limit`` characters."""
    return paragraph[: paragraph.rfind(" ", 0, limit)]


# -- each language ------------------------------------------------------------------------------------------------


def test_the_languages_of_the_issue_and_more_are_known() -> None:
    assert set(MAIN) < set(LANGUAGE_NAMES)
    assert set(SAMPLES) == set(LANGUAGE_NAMES)  # each language it claims to know is tested below
    assert all(len(SAMPLES[tag]) >= 6 for tag in MAIN)


def test_format_doc_lists_the_languages_it_knows() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    section = doc.split("## 8. Language", 1)[1].split("\n## ", 1)[0]
    listed = dict(re.findall(r"`([a-z]{2,3})` ([A-Z][a-zå]+(?: Bokmål)?)", section))
    assert listed == LANGUAGE_NAMES
    assert f"It knows {len(LANGUAGE_NAMES)} languages by their function words, and {len(SCRIPT_LANGUAGES)}" in section
    by_script = section.split("| by script | ", 1)[1].split("\n", 1)[0]
    assert re.findall(r"`([a-z]{2,3})`", by_script) == list(SCRIPT_LANGUAGES)


def test_each_list_fits_the_byte_that_counts_it() -> None:
    assert max(len(set(words.split())) for _, words in _PROFILES.values()) < 256


@pytest.mark.parametrize(("tag", "paragraph"), CASES, ids=IDS)
def test_a_paragraph_is_labelled_with_its_language(tag: str, paragraph: str) -> None:
    article, diagnostics = parsed(text(paragraph))
    assert (article.language, diagnostics) == (tag, [])


@pytest.mark.parametrize(("tag", "paragraph"), CASES, ids=IDS)
def test_the_headline_and_paragraphs_are_read_together(tag: str, paragraph: str) -> None:
    # Split into a headline (its first words) and two paragraphs, the article still reads as one text.
    words = paragraph.split()
    headline, first, second = " ".join(words[:6]), " ".join(words[6:20]), " ".join(words[20:])
    article, diagnostics = parsed(text(f"{first}\n\n{second}", headline=headline))
    assert (article.language, diagnostics) == (tag, [])


# Short texts whose function words alone do not decide between close languages, but whose letters do.
BY_LETTERS = {
    "pl": "Frekwencja w niedzielnych wyborach samorządowych wyniosła rekordowe 58 procent, a liczenie głosów trwało do "
    "wczesnych godzin porannych.",
    "cs": "Kvůli bouři bylo v pondělí na severu země zrušeno několik stovek vlaků.",
    "es": "Cientos de trenes fueron cancelados el lunes en el norte del país a causa de un temporal. La compañía "
    "ferroviaria",
    "ru": "В понедельник из-за сильного шторма на севере страны были отменены сотни поездов.",
}


@pytest.mark.parametrize(("tag", "body"), BY_LETTERS.items(), ids=list(BY_LETTERS))
def test_letters_decide_where_function_words_do_not(tag: str, body: str) -> None:
    article, diagnostics = parsed(text(body))
    assert (article.language, diagnostics) == (tag, [])


def test_letters_of_another_language_in_a_name_do_not_decide() -> None:
    article, diagnostics = parsed(text("Der Zug nach Łódź fällt heute aus, teilte die Bahn am Morgen mit."))
    assert (article.language, diagnostics) == ("de", [])


# Texts whose function words do not tell, in a script only one language writes.
BY_SCRIPT = {
    "ja": "市議会は火曜日の夜、5時間以上に及ぶ議論の末、来年度の予算を可決した。野党は市営プールの予算削減を批判した。",
    "ko": "시의회는 화요일 저녁 다섯 시간이 넘는 토론 끝에 내년 예산을 통과시켰다. 야당은 수영장 예산 삭감을 비판했다.",
    "th": "สภาเทศบาลอนุมัติงบประมาณปีหน้าเมื่อคืนวันอังคาร หลังการอภิปรายนานกว่าห้าชั่วโมง",
    "el": "Εγκρίθηκε ο προϋπολογισμός της πόλης",
    "ka": "ქალაქის საბჭომ სამშაბათს საღამოს მომავალი წლის ბიუჯეტი დაამტკიცა.",
    "hy": "Քաղաքային խորհուրդը երեքշաբթի երեկոյան հաստատեց հաջորդ տարվա բյուջեն։",
    "ta": "நகர சபை செவ்வாய்க்கிழமை மாலை அடுத்த ஆண்டுக்கான வரவு செலவுத் திட்டத்துக்கு ஒப்புதல் அளித்தது.",
}
# Scripts that several languages write: Chinese characters (Chinese, and Japanese kanji), Hebrew (also Yiddish),
# Arabic (also Persian, Urdu), Devanagari (Hindi, Marathi, Nepali), Cyrillic without enough function words.
SHARED_SCRIPT = (
    "市议会周二晚上在经过五个多小时的辩论后通过了明年的预算。",
    "מועצת העיר אישרה את התקציב",
    "وافق مجلس المدينة على الميزانية",
    "नगर परिषद ने मंगलवार शाम अगले साल का बजट पारित किया",
    "Совет утвердил бюджет",
)


@pytest.mark.parametrize(("tag", "body"), BY_SCRIPT.items(), ids=list(BY_SCRIPT))
def test_a_script_only_one_language_writes_names_it(tag: str, body: str) -> None:
    article, diagnostics = parsed(text(body, headline=body.split(maxsplit=1)[0]))
    assert (article.language, diagnostics) == (tag, [])


@pytest.mark.parametrize("body", SHARED_SCRIPT)
def test_a_script_several_languages_write_names_none(body: str) -> None:
    article, diagnostics = parsed(text(body))
    assert (article.language, [d.code for d in diagnostics]) == ("und", ["language-guess"])


def test_a_few_letters_of_another_script_do_not_decide() -> None:
    article, _ = parsed(text("Tokio: 東京 meldet Schnee", headline="Wetter"))
    assert article.language == "und"
    assert parsed(text("Kurz: π und Δ"))[0].language == "und"


# -- undetermined -------------------------------------------------------------------------------------------------

SHORT = (
    "Kurz.",
    "Stadtrat beschließt Haushalt",
    "Council approves budget",
    "Le conseil adopte le budget",
    "El Gobierno aprueba los presupuestos",
    "Berlin, Paris, London, Rom",
    "2:1 (1:0)",
    "Fotos: dpa",
)


@pytest.mark.parametrize("body", SHORT)
def test_too_little_text_is_undetermined_and_reported(body: str) -> None:
    article, diagnostics = parsed(text(body))
    assert article.language == "und"
    assert [(d.code, d.line) for d in diagnostics] == [("language-guess", 4)]


@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(MAIN, 2)))
def test_the_same_news_half_in_one_language_half_in_another_is_undetermined(first: str, second: str) -> None:
    for index in range(3):  # the first three samples of each language tell the same three stories
        body = f"{_cut(SAMPLES[first][index], 150)}\n\n{_cut(SAMPLES[second][index], 150)}"
        article, diagnostics = parsed(text(body))
        assert article.language == "und", body
        assert [d.code for d in diagnostics] == ["language-guess"]


def test_the_message_says_what_was_found_in_words() -> None:
    body = f"{_cut(SAMPLES['de'][0], 150)}\n\n{_cut(SAMPLES['en'][0], 150)}"
    _, [diagnostic] = parsed(text(body))
    # Counts by language name, most first, at most three; no raw Python dict.
    found = re.fullmatch(
        r"could not tell the language \(found (\d+ \w+), (\d+ \w+) and \d+ \w+ function words\); "
        r"labelled it 'und', undetermined: state it with a 'lang: xx' line after the date",
        diagnostic.message,
    )
    assert found is not None, diagnostic.message
    assert sorted(name.split()[1] for name in found.groups()) == ["English", "German"]
    _, [nothing] = parsed(text("Berlin, Paris, London, Rom"))
    assert f"(found no function word of the {len(LANGUAGE_NAMES)} languages it knows)" in nothing.message
    _, [one] = parsed(text("Kurz und bündig"))
    assert "(found 1 German function word)" in one.message


def test_strict_mode_refuses_to_guess() -> None:
    with pytest.raises(ParseError) as caught:
        parse(text("Kurz."), strict=True)
    assert caught.value.code == "language-guess"


def test_an_undetermined_article_reads_back_as_undetermined() -> None:
    for paragraphs in (["Kurz."], [SAMPLES["de"][0]]):
        article = Article(headline="Update", language="und", sections=[Section(paragraphs=paragraphs)])
        written = unparse(article)
        assert written.split("\n")[3] == "lang: und"
        assert parse(written, strict=True) == article


def test_an_undetermined_article_is_rendered_in_the_default_locale() -> None:
    article = parse(text("Kurz.", date="2025-02-27"), on_diagnostic=lambda _: None)
    assert article.language == "und"
    assert "Veröffentlicht am 27. Februar 2025" in str(render(article, "text"))  # not Babel's reading of und: en_US
    with pytest.raises(UnknownLocaleError, match="unknown locale 'und'"):
        render(article, "text", locale="und")


_WORDS = st.sampled_from(sorted({word for _, words in _PROFILES.values() for word in words.split()}))


@given(st.lists(st.one_of(_WORDS, st.text(max_size=12)), max_size=80), st.integers(min_value=1, max_value=5))
@settings(deadline=None)
def test_any_text_is_labelled_with_a_language_it_knows_or_und(words: list[str], pieces: int) -> None:
    texts = [" ".join(words[index::pieces]) for index in range(pieces)]
    detection = detect_language(texts)
    assert detection.confident == (detection.language != "und")
    assert detection.language in {*LANGUAGE_NAMES, *SCRIPT_LANGUAGES, "und"}
    assert "{" not in detection.summary()
    # Only the sample is read: what follows it changes nothing.
    assert detect_language([*texts, "the and of that with from"]).language == detection.language or (
        sum(map(len, texts)) + len(texts) < SAMPLE_CHARS
    )


# -- the caller's language ----------------------------------------------------------------------------------------


def test_default_language_labels_a_text_that_does_not_state_one() -> None:
    german = text(SAMPLES["de"][0])
    assert parsed(german, default_language="fr") == (parse(german, language="fr"), [])
    assert parsed(text("Kurz."), default_language="de_AT")[0].language == "de-AT"
    stated = text(SAMPLES["de"][0], date="2025-02-27\nlang: de-CH")
    assert parsed(stated, default_language="fr") == (parse(stated), [])  # the text's own line wins
    assert parse(stated, language="it", default_language="fr").language == "it"  # language= wins over both


def test_parse_file_passes_default_language(tmp_path: Path) -> None:
    path = tmp_path / "kurz.txt"
    path.write_text(text("Kurz."), encoding="utf-8")
    assert parse_file(path, default_language="en").language == "en"


@pytest.mark.parametrize("name", ["language", "default_language"])
def test_a_tag_that_is_no_language_tag_is_refused_by_name(name: str) -> None:
    with pytest.raises(ValueError, match=f"^{name} must be a BCP 47 tag such as 'de' or 'de-AT', not 'German'$"):
        parse(text("Kurz."), **{name: "German"})
    with pytest.raises(TypeError, match=f"^{name} must be a str"):
        parse(text("Kurz."), **{name: 7})  # type: ignore[arg-type]


def test_the_command_checks_its_language_option_with_the_same_rule() -> None:
    assert check_language_tag("--language", "pt_BR") == "pt-BR"
    with pytest.raises(ValueError, match=r"^--language must be a BCP 47 tag such as 'de' or 'de-AT', not 'Deutsch'$"):
        check_language_tag("--language", "Deutsch")


# -- cost ---------------------------------------------------------------------------------------------------------


def test_detection_reads_a_fixed_sample_whatever_the_length() -> None:
    def make(n: int) -> list[str]:
        return [SAMPLES["de"][n % 6] for n in range(n)]

    def work(paragraphs: list[str]) -> None:
        for _ in range(500):
            detect_language(paragraphs)

    # Twice the paragraphs, the same time: only the first SAMPLE_CHARS characters are read.
    assert sum(map(len, make(100))) > 10 * SAMPLE_CHARS
    assert lowest_doubling_ratio(make, work, 2_000, repeat=5, below=1.5) < 1.5
    assert lowest_doubling_ratio(lambda n: ["Wort " * n], work, 50_000, repeat=5, below=1.5) < 1.5
