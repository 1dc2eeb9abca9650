"""The plugin host: built-ins on the plugin path, registration rules, failures that stay contained."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import newsarticle
from newsarticle import Article, Option, RenderContext, Section, hookimpl
from newsarticle._plugins import DEFAULT_PLUGINS, DISABLE_AUTOLOAD_ENV, Registry, make_plugin_manager
from newsarticle.transforms.typography import smarten

ARTICLE = Article(
    headline="Stadtrat beschließt Haushalt",
    language="de",
    category="Politik",
    sections=(Section(paragraphs=('Der Kämmerer sagte: "Wir sparen."',)),),
)


class Shout:
    """A renderer as a script would write it."""

    name = "shout"
    media_type = "text/plain"
    suffix = ".shout"
    description = "The headline in capitals."
    options = (Option(name="bang", type=int, default=1, help="how many exclamation marks"),)

    def render(self, article: Article, context: RenderContext) -> str:
        return article.headline.upper() + "!" * context.options["bang"]


class ShoutPlugin:
    @hookimpl
    def register_renderers(self, register: Any) -> None:
        register(Shout())


@pytest.fixture
def script_plugin() -> Iterator[str]:
    name = newsarticle.register_plugin(ShoutPlugin(), name="shout-plugin")
    yield name
    newsarticle.unregister_plugin(name)


def isolated_registry() -> Registry:
    return Registry.build(*make_plugin_manager(load_entry_points=False))


def test_builtins_are_registered_as_plugins_under_their_module_names() -> None:
    pm, _ = make_plugin_manager(load_entry_points=False)
    names = {name for name, _ in pm.list_name_plugin()}
    assert set(DEFAULT_PLUGINS) <= names
    providers = {info.name: info.plugin for info in newsarticle.formats()}
    assert providers["source"] == "newsarticle.renderers.source"


def test_formats_describes_each_renderer() -> None:
    info = {f.name: f for f in newsarticle.formats()}["source"]
    assert info.suffix == ".txt"
    assert info.media_type == "text/plain"
    assert info.description
    assert info.distribution == "newsarticle"


def test_script_plugin_adds_a_format_with_options(script_plugin: str) -> None:
    assert newsarticle.render(ARTICLE, "shout") == "STADTRAT BESCHLIESST HAUSHALT!"
    assert newsarticle.render(ARTICLE, "shout", bang=3).endswith("!!!")
    info = {f.name: f for f in newsarticle.formats()}["shout"]
    assert info.plugin == script_plugin
    assert [o.name for o in info.options] == ["bang"]


def test_unregister_removes_the_format(script_plugin: str) -> None:
    newsarticle.unregister_plugin(script_plugin)
    with pytest.raises(newsarticle.UnknownFormatError):
        newsarticle.render(ARTICLE, "shout")
    newsarticle.register_plugin(ShoutPlugin(), name=script_plugin)  # for the fixture's teardown


@pytest.mark.usefixtures("script_plugin")
def test_option_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(newsarticle.OptionError, match="bang"):
        newsarticle.render(ARTICLE, "shout", bang="three")


@pytest.mark.usefixtures("script_plugin")
def test_unknown_option_lists_the_declared_ones() -> None:
    with pytest.raises(newsarticle.OptionError, match=r"no option 'loud'.*bang"):
        newsarticle.render(ARTICLE, "shout", loud=True)


def test_unknown_format_lists_what_exists() -> None:
    with pytest.raises(newsarticle.UnknownFormatError, match=r"unknown format 'docx'.*source"):
        newsarticle.render(ARTICLE, "docx")


@pytest.mark.usefixtures("script_plugin")
def test_duplicate_format_names_both_plugins() -> None:
    class Again:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(Shout())

    with pytest.raises(newsarticle.PluginError, match=r"'again'.*'shout'.*'shout-plugin'"):
        newsarticle.register_plugin(Again(), name="again")
    # The refused plugin left nothing behind; the first one still renders.
    assert newsarticle.render(ARTICLE, "shout") == "STADTRAT BESCHLIESST HAUSHALT!"
    assert {f.plugin for f in newsarticle.formats() if f.name == "shout"} == {"shout-plugin"}


def test_replace_true_replaces_a_builtin_and_unregister_restores_it() -> None:
    class Source:
        name = "source"
        media_type = "text/plain"
        suffix = ".txt"
        description = "Replaced."
        options = ()

        def render(self, article: Article, context: RenderContext) -> str:
            return "replaced"

    class Replacer:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(Source(), replace=True)

    name = newsarticle.register_plugin(Replacer(), name="replacer")
    try:
        assert newsarticle.render(ARTICLE, "source") == "replaced"
    finally:
        newsarticle.unregister_plugin(name)
    assert newsarticle.render(ARTICLE, "source") == newsarticle.unparse(ARTICLE)


def test_renderer_that_raises_is_reported_with_its_plugin() -> None:
    class Broken(Shout):
        name = "broken"

        def render(self, article: Article, context: RenderContext) -> str:
            raise RuntimeError("boom")

    class BrokenPlugin:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(Broken())

    name = newsarticle.register_plugin(BrokenPlugin(), name="broken-plugin")
    try:
        with pytest.raises(newsarticle.PluginError, match=r"'broken'.*'broken-plugin'.*boom"):
            newsarticle.render(ARTICLE, "broken")
        assert newsarticle.render(ARTICLE, "source")  # every other format keeps working
    finally:
        newsarticle.unregister_plugin(name)


def test_malformed_renderer_is_refused() -> None:
    class NoSuffix:
        name = "nosuffix"
        media_type = "text/plain"
        description = "x"

        def render(self, article: Article, context: RenderContext) -> str:
            return ""

    class Plugin:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(NoSuffix())

    with pytest.raises(newsarticle.PluginError, match="suffix"):
        newsarticle.register_plugin(Plugin(), name="malformed")


def test_plugin_whose_hook_raises_is_skipped_with_a_warning() -> None:
    class Exploding:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            raise ImportError("missing dependency")

    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.register(Exploding(), name="exploding")
    with pytest.warns(newsarticle.PluginWarning, match=r"'exploding'.*missing dependency"):
        registry = Registry.build(pm, providers)
    assert "source" in registry.renderers


def test_transforms_run_only_when_named_and_in_order() -> None:
    calls: list[str] = []

    class Tag:
        description = "Append a tag to the headline."

        def __init__(self, name: str) -> None:
            self.name = name

        def apply(self, article: Article, context: RenderContext) -> Article:
            calls.append(self.name)
            return Article(
                headline=f"{article.headline} {self.name}", language=article.language, sections=article.sections
            )

    class Plugin:
        @hookimpl
        def register_transforms(self, register: Any) -> None:
            register(Tag("a"))
            register(Tag("b"))

    name = newsarticle.register_plugin(Plugin(), name="tags")
    try:
        plain = newsarticle.render(ARTICLE, "source")
        assert calls == []
        out = newsarticle.render(ARTICLE, "source", transforms=["b", "a"])
        assert calls == ["b", "a"]
        assert out.splitlines()[1] == "Stadtrat beschließt Haushalt b a"
        assert plain.splitlines()[1] == "Stadtrat beschließt Haushalt"
        infos = {info.name: info for info in newsarticle.available_transforms()}
        assert {"a", "b", "typography"} <= set(infos)
        assert (infos["a"].description, infos["a"].plugin, infos["a"].distribution) == (Tag.description, "tags", None)
        assert infos["typography"].distribution == "newsarticle"
    finally:
        newsarticle.unregister_plugin(name)


def test_unknown_transform_lists_what_exists() -> None:
    with pytest.raises(newsarticle.UnknownTransformError, match=r"'smartypants'.*typography"):
        newsarticle.render(ARTICLE, "source", transforms=["smartypants"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Er sagte "Hallo" und ging.', "Er sagte „Hallo“ und ging."),
        ("\"Das ist 'gut'\", sagte sie.", "„Das ist ‚gut‘“, sagte sie."),
        ("Geht's dir gut?", "Geht’s dir gut?"),
        ('("Klammer")', "(„Klammer“)"),
        ("Kein Zitat.", "Kein Zitat."),
        ('Er sagte " Wort " laut.', "Er sagte „ Wort “ laut."),
    ],
)
def test_smarten_uses_the_given_marks(text: str, expected: str) -> None:
    assert smarten(text, ("„", "“", "‚", "‘")) == expected


def test_typography_transform_keeps_the_input_unchanged() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = newsarticle.render(ARTICLE, "source", locale="en", transforms=["typography"])
    assert "“Wir sparen.”" in out
    assert '"Wir sparen."' in ARTICLE.paragraphs[0]


def test_a_renderer_returning_neither_str_nor_bytes_is_a_plugin_error() -> None:
    class Number(Shout):
        name = "number"

        def render(self, article: Article, context: RenderContext) -> str:
            return 42  # type: ignore[return-value]

    class Plugin:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(Number())

    name = newsarticle.register_plugin(Plugin(), name="number-plugin")
    try:
        with pytest.raises(newsarticle.PluginError, match=r"'number'.*'number-plugin'.*returned int"):
            newsarticle.render(ARTICLE, "number")
    finally:
        newsarticle.unregister_plugin(name)


def test_options_that_are_not_option_objects_are_refused_at_registration() -> None:
    class Loose(Shout):
        name = "loose"
        options = ("bang",)  # type: ignore[assignment]

    class Plugin:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(Loose())

    with pytest.raises(newsarticle.PluginError, match=r"'loose'.*newsarticle.Option"):
        newsarticle.register_plugin(Plugin(), name="loose-plugin")
    assert "loose" not in {f.name for f in newsarticle.formats()}


def test_a_hook_takes_only_the_arguments_it_names() -> None:
    calls: list[str] = []

    class Quiet:
        @hookimpl
        def register_renderers(self) -> None:  # uses no argument, as pluggy allows
            calls.append("called")

    name = newsarticle.register_plugin(Quiet(), name="quiet")
    try:
        assert calls == ["called"]
    finally:
        newsarticle.unregister_plugin(name)


def test_register_plugin_names_a_plugin_after_its_class_and_refuses_a_second_of_that_name() -> None:
    name = newsarticle.register_plugin(ShoutPlugin())
    try:
        assert name == "ShoutPlugin"
        with pytest.raises(newsarticle.PluginError, match="registered already"):
            newsarticle.register_plugin(ShoutPlugin())
    finally:
        newsarticle.unregister_plugin(name)


def test_a_hook_with_an_unknown_argument_is_a_plugin_error() -> None:
    class Wrong:
        @hookimpl
        def register_renderers(self, add: Any) -> None:
            add(Shout())

    with pytest.raises(newsarticle.PluginError, match="does not fit"):
        newsarticle.register_plugin(Wrong(), name="wrong")


def test_transforms_must_be_a_sequence_of_names() -> None:
    with pytest.raises(TypeError, match=r"\['typography'\]"):
        newsarticle.render(ARTICLE, "source", transforms="typography")


# -- hooks are called through pluggy --------------------------------------------------------


def test_a_wrapper_runs_around_its_plugins_registration_and_can_register_and_catch() -> None:
    calls: list[str] = []

    class Wrapping:
        @hookimpl(wrapper=True)
        def register_renderers(self, register: Any) -> Any:
            calls.append("before")
            try:
                return (yield)
            except RuntimeError:  # its own plugin's failure, turned into a registration of its own
                calls.append("caught")
                register(Shout())
                return []
            finally:
                calls.append("after")

        @hookimpl(specname="register_renderers")
        def fails(self, register: Any) -> None:
            calls.append("inner")
            raise RuntimeError("no backend")

    name = newsarticle.register_plugin(Wrapping(), name="wrapping")
    try:
        assert calls == ["before", "inner", "caught", "after"]
        assert newsarticle.render(ARTICLE, "shout") == "STADTRAT BESCHLIESST HAUSHALT!"
    finally:
        newsarticle.unregister_plugin(name)


def test_an_old_style_hookwrapper_runs_too() -> None:
    calls: list[str] = []

    class Old:
        @hookimpl(hookwrapper=True)
        def register_renderers(self) -> Any:
            calls.append("before")
            yield
            calls.append("after")

    name = newsarticle.register_plugin(Old(), name="old-wrapper")
    try:
        assert calls == ["before", "after"]
    finally:
        newsarticle.unregister_plugin(name)


def _shouting(marks: int, **markers: bool) -> object:
    class Loud(Shout):
        def render(self, article: Article, context: RenderContext) -> str:
            return article.headline.upper() + "!" * marks

    class Plugin:
        @hookimpl(**markers)
        def register_renderers(self, register: Any) -> None:
            register(Loud())

    return Plugin()


def test_plugins_register_in_load_order_and_tryfirst_goes_ahead() -> None:
    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.register(_shouting(1), name="first")
    pm.register(_shouting(2), name="second")
    with pytest.warns(newsarticle.PluginWarning, match=r"plugin 'second' failed to register.*'first' registered"):
        registry = Registry.build(pm, providers)
    assert registry.renderers["shout"][1].plugin == "first"

    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.register(_shouting(1), name="first")
    pm.register(_shouting(2, tryfirst=True), name="eager")
    with pytest.warns(newsarticle.PluginWarning, match=r"plugin 'first' failed to register.*'eager' registered"):
        registry = Registry.build(pm, providers)
    assert registry.renderers["shout"][1].plugin == "eager"


def test_trylast_goes_behind_plugins_loaded_after_it() -> None:
    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.register(_shouting(1, trylast=True), name="patient")
    pm.register(_shouting(2), name="later")
    with pytest.warns(newsarticle.PluginWarning, match=r"plugin 'patient' failed to register.*'later' registered"):
        registry = Registry.build(pm, providers)
    assert registry.renderers["shout"][1].plugin == "later"


def test_unregister_calls_the_remaining_plugins_hooks_again() -> None:
    calls: list[str] = []

    class Counting:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            calls.append("counted")

    counting = newsarticle.register_plugin(Counting(), name="counting")
    other = newsarticle.register_plugin(ShoutPlugin(), name="other")
    newsarticle.unregister_plugin(other)
    try:
        assert calls == ["counted", "counted"]  # on registering, and on the rebuild after the unregister
    finally:
        newsarticle.unregister_plugin(counting)


# -- format names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "format_name"), [("HTML", "html"), ("Md", "markdown"), ("txt", "text"), ("htm", "html"), ("JSON", "json")]
)
def test_format_names_are_case_insensitive_and_have_aliases(given: str, format_name: str) -> None:
    assert newsarticle.render(ARTICLE, given) == newsarticle.render(ARTICLE, format_name)


def test_formats_lists_the_aliases() -> None:
    aliases = {info.name: info.aliases for info in newsarticle.formats()}
    assert (aliases["html"], aliases["markdown"], aliases["text"], aliases["json"]) == (("htm",), ("md",), ("txt",), ())
    assert newsarticle.FORMAT_ALIASES == {"htm": "html", "md": "markdown", "txt": "text"}


@pytest.mark.parametrize(
    ("typo", "meant"), [("htlm", "'html'"), ("markdwon", "'markdown'"), ("JSNO", "'json'"), ("tetx", "'text'")]
)
def test_a_mistyped_format_gets_a_suggestion(typo: str, meant: str) -> None:
    with pytest.raises(newsarticle.UnknownFormatError, match=rf"unknown format '{typo}'; did you mean {meant}[ ?]"):
        newsarticle.render(ARTICLE, typo)


def test_a_format_far_from_every_name_gets_no_suggestion() -> None:
    with pytest.raises(newsarticle.UnknownFormatError) as info:
        newsarticle.render(ARTICLE, "docx")
    assert "did you mean" not in str(info.value)


def test_a_plugin_format_of_another_case_is_a_duplicate_and_a_plugin_can_take_an_alias_name() -> None:
    class Upper(Shout):
        name = "SHOUT"

    class Md(Shout):
        name = "md"

    class Plugin:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(Upper())

    class MdPlugin:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(Md())

    name = newsarticle.register_plugin(ShoutPlugin(), name="lower")
    md = newsarticle.register_plugin(MdPlugin(), name="md-plugin")
    try:
        with pytest.raises(newsarticle.PluginError, match=r"'upper' registers 'SHOUT', which plugin 'lower'"):
            newsarticle.register_plugin(Plugin(), name="upper")
        assert newsarticle.render(ARTICLE, "md") == "STADTRAT BESCHLIESST HAUSHALT!"  # the plugin's, not markdown
        assert "md" not in {info.name: info.aliases for info in newsarticle.formats()}["markdown"]
    finally:
        newsarticle.unregister_plugin(md)
        newsarticle.unregister_plugin(name)


def test_a_skipped_plugin_is_warned_about_once_though_unregister_rebuilds_the_registry() -> None:
    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.register(_shouting(1), name="first")
    pm.register(_shouting(2), name="second")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        registry = Registry.build(pm, providers)
        pm.register(ShoutPlugin(), name="passing")
        registry = Registry.build(pm, providers, registry.warned)
    assert [str(warning.message) for warning in caught] == [
        "plugin 'second' failed to register and was skipped: registers 'shout', which plugin 'first' registered"
        " already; pass replace=True to replace it deliberately",
        "plugin 'passing' failed to register and was skipped: registers 'shout', which plugin 'first' registered"
        " already; pass replace=True to replace it deliberately",
    ]


@pytest.mark.slow
def test_the_process_wide_registry_repeats_no_warning_after_an_unregister() -> None:
    code = textwrap.dedent(
        """
        import warnings
        import newsarticle

        class Shout:
            name = "html"
            media_type = "text/html"
            suffix = ".html"
            description = "Another html."
            options = ()

            def render(self, article, context):
                return ""

        class Clash:
            @newsarticle.hookimpl
            def register_renderers(self, register):
                register(Shout())

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            newsarticle.formats()
            pm = newsarticle._plugins.get_registry().plugin_manager
            pm.register(Clash(), name="clash")  # as an entry point would be: skipped at each build
            newsarticle._plugins.unregister_plugin(newsarticle.register_plugin(object(), name="x"))
            newsarticle._plugins.unregister_plugin(newsarticle.register_plugin(object(), name="y"))
        print(sum(issubclass(w.category, newsarticle.PluginWarning) for w in caught))
        """
    )
    env = {**os.environ, DISABLE_AUTOLOAD_ENV: "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "1"


DISTRIBUTION_MODULE = textwrap.dedent(
    """
    import newsarticle

    class Shout:
        name = "shout"
        media_type = "text/plain"
        suffix = ".shout"
        description = "The headline in capitals."
        options = ()

        def render(self, article, context):
            return __name__

    @newsarticle.hookimpl
    def register_renderers(register):
        register(Shout())
    """
)


def _site_with(site: Path, module: str) -> Path:
    """A folder holding a distribution ``<module>`` 0.1 whose entry point registers the format ``shout``."""
    site.mkdir()
    (site / f"{module}.py").write_text(DISTRIBUTION_MODULE, encoding="utf-8")
    dist_info = site / f"{module}-0.1.dist-info"
    dist_info.mkdir()
    metadata = f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 0.1\n"
    (dist_info / "METADATA").write_text(metadata, encoding="utf-8")
    (dist_info / "entry_points.txt").write_text(f"[newsarticle]\n{module} = {module}\n", encoding="utf-8")
    return site


@pytest.mark.slow
def test_two_distributions_with_one_format_name_the_one_later_by_name_is_refused_whatever_the_path_order(
    tmp_path: Path,
) -> None:
    sites = [_site_with(tmp_path / "z", "zeta_shout"), _site_with(tmp_path / "a", "alpha_shout")]
    code = (
        "import warnings, newsarticle\nwarnings.simplefilter('always')\n"
        "print(newsarticle.render(newsarticle.parse('a\\nb\\n\\nc'), 'shout'))"
    )
    for order in (sites, sites[::-1]):
        env = {key: value for key, value in os.environ.items() if key != DISABLE_AUTOLOAD_ENV}
        env["PYTHONPATH"] = os.pathsep.join([*map(str, order), env.get("PYTHONPATH", "")])
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert done.stdout.strip() == "alpha_shout"
        assert "plugin 'zeta_shout' (distribution zeta-shout 0.1) failed to register and was skipped" in done.stderr
        assert "which plugin 'alpha_shout' (distribution alpha-shout 0.1) registered already" in done.stderr
        assert done.stderr.count("PluginWarning") == 1


def test_check_transforms_refuses_an_unknown_name_with_a_suggestion_and_takes_any_case() -> None:
    newsarticle.check_transforms(["typography", "Typography"])
    with pytest.raises(newsarticle.UnknownTransformError, match=r"'typografy'; did you mean 'typography'\?"):
        newsarticle.check_transforms(["typography", "typografy"])
    assert newsarticle.render(ARTICLE, "source", transforms=["TYPOGRAPHY"]) == newsarticle.render(
        ARTICLE, "source", transforms=["typography"]
    )


def test_hook_calls_go_through_pluggy_so_its_monitoring_sees_each_plugin() -> None:
    seen: list[tuple[str, list[str]]] = []
    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.add_hookcall_monitoring(
        lambda hook, impls, kwargs: seen.append((hook, [impl.plugin_name for impl in impls])),
        lambda outcome, hook, impls, kwargs: None,
    )
    Registry.build(pm, providers)
    assert ("register_renderers", ["newsarticle.renderers.html"]) in seen
    assert ("register_transforms", ["newsarticle.transforms.typography"]) in seen
