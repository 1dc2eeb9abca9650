"""Real entry-point discovery, in fresh interpreters: an installed plugin appears, a broken one is contained.

The ninjs plugin must be installed (``pip install ./plugins/newsarticle-ninjs``,
as ``.ci/run`` does): these tests fail, rather than skip, when it is not,
because then the entry-point path is not tested at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from newsarticle._plugins import DISABLE_AUTOLOAD_ENV

pytestmark = pytest.mark.slow  # entry points are discovered in fresh interpreters

ROOT = Path(__file__).parent.parent
NINJS_SCHEMA = ROOT / "plugins" / "newsarticle-ninjs" / "tests" / "ninjs-schema_3.1.json"
ARTICLE_FILE = Path(__file__).parent / "data" / "001_174fa88330290a76.txt"
NOT_INSTALLED = "newsarticle-ninjs is not installed; run: pip install ./plugins/newsarticle-ninjs"
BUILT_INS = {"html", "json", "markdown", "source", "text"}

# Run in a fresh interpreter: what newsarticle finds, and every warning on the way.
SCRIPT = textwrap.dedent(
    """
    import json, sys, warnings
    from importlib import metadata

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import newsarticle
        loaded_at_import = "newsarticle_ninjs" in sys.modules
        infos = newsarticle.formats()
        article = newsarticle.parse_file(sys.argv[1])
        names = {info.name for info in infos}
        rendered = {name: newsarticle.render(article, name) for name in ("json", "ninjs") if name in names}
    print(json.dumps({
        "entry_points": sorted(f"{ep.name} = {ep.value}" for ep in metadata.entry_points(group="newsarticle")),
        "loaded_at_import": loaded_at_import,
        "formats": {i.name: {"plugin": i.plugin, "distribution": i.distribution, "version": i.version} for i in infos},
        "warnings": [{"category": w.category.__name__, "message": str(w.message)} for w in caught],
        "rendered": rendered,
    }))
    """
)


def run_fresh(cwd: Path, **env: str) -> dict[str, Any]:
    """What :data:`SCRIPT` reports in a new interpreter, with autoload on unless ``env`` says otherwise."""
    environment = {key: value for key, value in os.environ.items() if key != DISABLE_AUTOLOAD_ENV}
    environment.update(env)
    process = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ARTICLE_FILE)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=cwd,
        timeout=300,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    result: dict[str, Any] = json.loads(process.stdout)
    return result


def test_installed_plugin_is_found_through_its_entry_point(tmp_path: Path) -> None:
    found = run_fresh(tmp_path)
    assert "ninjs = newsarticle_ninjs" in found["entry_points"], NOT_INSTALLED
    assert "ninjs" in found["formats"], NOT_INSTALLED
    ninjs = found["formats"]["ninjs"]
    assert (ninjs["plugin"], ninjs["distribution"]) == ("ninjs", "newsarticle-ninjs")
    assert ninjs["version"]
    assert set(found["formats"]) >= BUILT_INS
    assert found["warnings"] == []
    # Discovery is lazy: importing newsarticle loads no plugin, the first formats() call does.
    assert found["loaded_at_import"] is False
    # And the discovered renderer works: IPTC's schema accepts what it wrote.
    validator = Draft202012Validator(
        json.loads(NINJS_SCHEMA.read_text(encoding="utf-8")), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    assert list(validator.iter_errors(json.loads(found["rendered"]["ninjs"]))) == []


def test_autoload_switched_off_loads_no_entry_point_plugin(tmp_path: Path) -> None:
    found = run_fresh(tmp_path, **{DISABLE_AUTOLOAD_ENV: "1"})
    assert "ninjs = newsarticle_ninjs" in found["entry_points"], NOT_INSTALLED
    assert "ninjs" not in found["formats"]
    assert set(found["formats"]) >= BUILT_INS
    assert {info["distribution"] for info in found["formats"].values()} == {"newsarticle"}
    assert "ninjs" not in found["rendered"]


def _broken_distribution(site: Path) -> None:
    """A distribution ``broken-plugin`` 0.1 whose module raises ImportError, as pip would lay it out."""
    (site / "broken_plugin.py").write_text(
        'raise ImportError("broken_plugin needs a library that is not installed")\n', encoding="utf-8"
    )
    dist_info = site / "broken_plugin-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 0.1\n", encoding="utf-8")
    (dist_info / "entry_points.txt").write_text("[newsarticle]\nbroken = broken_plugin\n", encoding="utf-8")


def test_a_plugin_that_fails_to_import_leaves_every_other_format_working(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _broken_distribution(site)
    pythonpath = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    healthy = run_fresh(tmp_path)
    found = run_fresh(tmp_path, PYTHONPATH=pythonpath)

    assert "broken = broken_plugin" in found["entry_points"]
    assert set(found["formats"]) == set(healthy["formats"])
    assert "ninjs" in found["formats"], NOT_INSTALLED
    assert set(found["formats"]) >= BUILT_INS
    assert found["rendered"] == healthy["rendered"]

    [warning] = found["warnings"]
    assert warning["category"] == "PluginWarning"
    message = warning["message"]
    assert "plugin 'broken'" in message
    assert "distribution broken-plugin 0.1" in message
    assert "ImportError" in message
    assert "needs a library that is not installed" in message
