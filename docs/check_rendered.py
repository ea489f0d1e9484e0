"""Look at the built documentation in a real browser: a render check, run by hand.

It builds the pages (offline, warnings as errors), serves them on 127.0.0.1 and opens them in
headless Chromium, then checks what a reader would get:

- the workflow page shows both workflow diagrams, as SVG drawn by Graphviz at build time, and
  each diagram's SVG is served as ``image/svg+xml`` and names every review state;
- the rules page has an anchor for every rule id and every interpretation id;
- the command line page has a section for every ``leder`` command;
- the hazard log has an anchor for each of its hazards, H-01 onwards;
- the casebook has an anchor for every policy case of ``tests/cases/*.toml``, and a sample case
  (the first of the first file) shows its facts as a table, one row per fact;
- every rule's catalogue entry links at least one case, or says that none exercises it yet;
- the rule-set comparison shows both rule sets side by side and every dated parameter that
  changed;
- each page's screenshot was written and is not blank.

Screenshots are left in the output folder (``screenshots/*.png``) for a person to look at.

Usage, from the repository root, with the docs dependencies and Chromium installed
(Debian: ``apt-get install chromium``)::

    python docs/check_rendered.py [--out DIR] [--built DIR] [--chromium PATH] [--port N]
                                  [--allow-warnings]

Exit status: 0 every check passed; 1 a check failed; 2 the check could not run (no Chromium,
or the build failed). CI (``.ci/run``) installs Chromium and runs it after the docs build; it is
not a pytest test (it has no ``test_`` name and does nothing when imported).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib
import itertools
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from leder_core.cli import build_parser
from leder_core.interpretation import Interpretation
from leder_core.models.review import ReviewState
from leder_core.rules import parameters
from leder_core.rules.parameters import Parameter
from leder_core.rules.registry import iter_rules


def _casebook() -> Any:
    """The docs extension that reads the case files (imported only when the check runs: it
    needs Sphinx, which a test run against the wheel does not have)."""
    extension = str(Path(__file__).resolve().parent / "_ext")
    if extension not in sys.path:
        sys.path.insert(0, extension)
    return importlib.import_module("leder_casebook")


DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PAGES = {
    "workflow": (1400, 2200),
    "rules": (1400, 2200),
    "cli": (1400, 2200),
    "hazard-log": (1400, 2200),
    "casebook": (1400, 2200),
    "rulesets": (1400, 2200),
}
# Screenshots of one place on a page (the page scrolled to the anchor): name -> (page, anchor).
SPOTS = {
    "casebook-sample-case": ("casebook", None),  # the sample case, chosen when the check runs
    "rules-one-rule": ("rules", "ELIG-CONDITION"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="where to build (default: a new temporary folder)")
    parser.add_argument("--chromium", help="the browser to use (default: found on PATH)")
    parser.add_argument("--port", type=int, default=0, help="port to serve on (default: any free)")
    parser.add_argument(
        "--built",
        type=Path,
        help="look at pages already built in this folder instead of building them",
    )
    parser.add_argument(
        "--allow-warnings",
        action="store_true",
        help="look at the pages even if the build warns (CI's build does not allow this)",
    )
    args = parser.parse_args(argv)

    chromium = args.chromium or os.environ.get("CHROMIUM") or _find_chromium()
    if not chromium:
        print("no Chromium found: install it (apt-get install chromium) or pass --chromium")
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="leder-docs-"))
    if args.built:
        # A copy: the check writes pages of its own next to the built ones.
        html = out / "html"
        shutil.rmtree(html, ignore_errors=True)
        shutil.copytree(args.built, html)
        print(f"looking at the pages built in {args.built} (copied to {html})")
    else:
        html = out / "html"
        print(f"building the documentation into {html}")
        if not _build(html, strict=not args.allow_warnings):
            print("FAILED: the documentation did not build")
            return 2
    shots = out / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)

    failures: list[str] = []
    with _serve(html, args.port) as base:
        print(f"serving on {base}")
        doms: dict[str, str] = {}
        for page, size in PAGES.items():
            url = f"{base}/{page}.html"
            png = shots / f"{page}.png"
            _chromium(chromium, [f"--screenshot={png}", f"--window-size={size[0]},{size[1]}", url])
            failures += _check_screenshot(png, size)
            doms[page] = _chromium(chromium, ["--dump-dom", url])
            print(f"  {page}.html: DOM {len(doms[page]):,} characters, screenshot {png}")
        sample = _sample_case()
        for name, (page, anchor) in SPOTS.items():
            spot = _spot_page(html, page, anchor or sample.id)
            png = shots / f"{name}.png"
            _chromium(
                chromium, [f"--screenshot={png}", "--window-size=1400,1400", f"{base}/{spot}"]
            )
            failures += _check_screenshot(png, (1400, 1400))
            print(f"  {page}.html#{anchor or sample.id}: screenshot {png}")
        failures += _check_workflow(doms["workflow"], base)
        failures += _check_rules(doms["rules"])
        failures += _check_cli(doms["cli"])
        failures += _check_hazard_log(doms["hazard-log"])
        failures += _check_casebook(doms["casebook"], sample)
        failures += _check_rule_cases(doms["rules"])
        failures += _check_rulesets(doms["rulesets"])

    for failure in failures:
        print(f"FAILED: {failure}")
    if failures:
        return 1
    print(f"all render checks passed; screenshots in {shots}")
    return 0


# --- building, serving, browsing ----------------------------------------------------------


def _find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _build(html: Path, *, strict: bool) -> bool:
    """Build the pages from scratch, as CI does: offline, and warnings are errors if strict."""
    warnings = ["-W", "--keep-going"] if strict else []
    command = [sys.executable, "-m", "sphinx", *warnings, "-E", "-q", "-b", "html"]
    done = subprocess.run([*command, str(DOCS), str(html)], cwd=ROOT, check=False)  # noqa: S603
    return done.returncode == 0


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _serve(directory: Path, port: int) -> Iterator[str]:
    handler: Callable[..., _QuietHandler] = functools.partial(
        _QuietHandler, directory=str(directory)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _chromium(chromium: str, arguments: list[str]) -> str:
    profile = tempfile.mkdtemp(prefix="leder-chromium-")
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *arguments,
    ]
    try:
        done = subprocess.run(  # noqa: S603 - our own arguments
            command, capture_output=True, text=True, timeout=180, check=False
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return done.stdout


# --- the checks ---------------------------------------------------------------------------


def _check_screenshot(png: Path, size: tuple[int, int]) -> list[str]:
    if not png.is_file():
        return [f"no screenshot {png.name}"]
    data = png.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return [f"{png.name} is not a PNG"]
    width, height = struct.unpack(">II", data[16:24])
    problems = []
    if (width, height) != size:
        problems.append(f"{png.name} is {width}x{height}, not {size[0]}x{size[1]}")
    # A blank page compresses to almost nothing; a page of text and tables does not.
    if len(data) < 30_000:
        problems.append(f"{png.name} looks blank ({len(data):,} bytes)")
    return problems


def _check_workflow(dom: str, base: str) -> list[str]:
    problems = []
    inline = dom.count("<svg")
    objects = re.findall(r'<object[^>]*data="([^"]+\.svg)"[^>]*type="image/svg\+xml"', dom)
    objects += re.findall(r'<object[^>]*type="image/svg\+xml"[^>]*data="([^"]+\.svg)"', dom)
    images = re.findall(r'<img[^>]*src="([^"]+\.svg)"', dom)
    diagrams = sorted(set(objects + images))
    if len(diagrams) + inline < 2:
        problems.append(
            f"workflow.html: expected two SVG diagrams, found {len(diagrams)} SVG objects or "
            f"images and {inline} inline SVGs"
        )
    for source in diagrams:
        url = f"{base}/{source}"
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - localhost
            kind = response.headers.get_content_type()
            svg = response.read().decode("utf-8")
        if kind != "image/svg+xml":
            problems.append(f"{source} is served as {kind}")
        if "<svg" not in svg:
            problems.append(f"{source} is not an SVG drawing")
        missing = [state.value for state in ReviewState if state.value not in svg]
        if missing:
            problems.append(f"{source} does not name the states {missing}")
    for ruleset in ("leder-2016", "leder-2021"):
        if f'id="workflow-diagram-{ruleset}"' not in dom:
            problems.append(f"workflow.html: no diagram for {ruleset}")
    if "leder-transitions" not in dom:
        problems.append("workflow.html: no transition table")
    return problems


def _check_rules(dom: str) -> list[str]:
    ids = [rule.id for rule in iter_rules()]
    ids += [
        field.metadata["id"] for field in attrs.fields(Interpretation) if "id" in field.metadata
    ]
    missing = [anchor for anchor in ids if f'id="{anchor}"' not in dom]
    return [f"rules.html: no anchor for {missing}"] if missing else []


def _check_cli(dom: str) -> list[str]:
    parser = build_parser()
    commands = [
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    ]
    missing = [name for name in commands if f'id="leder-{name}"' not in dom]
    return [f"cli.html: no section for the commands {missing}"] if missing else []


def _check_hazard_log(dom: str) -> list[str]:
    source = (DOCS / "hazard-log.md").read_text(encoding="utf-8")
    hazards = re.findall(r"^### (H-\d{2}) ", source, flags=re.MULTILINE)
    missing = [hazard for hazard in hazards if f'id="{hazard.lower()}"' not in dom]
    problems = [f"hazard-log.html: no anchor for {missing}"] if missing else []
    if not hazards:
        problems.append("hazard-log.md names no hazards")
    return problems


# Headless Chromium does not reliably paint a page scrolled to an anchor, so a screenshot of
# one place is taken of a copy of the page that starts there: the script drops everything in
# the article before the anchor's element (the site's navigation and styles stay as they are).
_FROM_ANCHOR = """<script>
(function () {
  var node = document.getElementById(%s);
  var article = document.querySelector("article") || document.body;
  while (node && node !== article) {
    while (node.previousElementSibling) { node.previousElementSibling.remove(); }
    node = node.parentElement;
  }
})();
</script>"""


def _spot_page(html: Path, page: str, anchor: str) -> str:
    """Write a copy of a page that starts at an anchor; its name, next to the page."""
    source = (html / f"{page}.html").read_text(encoding="utf-8")
    script = _FROM_ANCHOR % json.dumps(anchor)
    name = f"_spot-{page}-{re.sub(r'[^A-Za-z0-9-]', '_', anchor)}.html"
    (html / name).write_text(source.replace("</body>", script + "</body>", 1), encoding="utf-8")
    return name


def _sample_case() -> Any:
    """The case whose facts table is checked: the first worked example, else the first case."""
    cases = [case for file in _casebook().load_cases() for case in file.cases]
    return next((case for case in cases if case.id == "example-01"), cases[0])


def _element(dom: str, anchor: str) -> str:
    """The HTML from an element with this id to the next section (or the end)."""
    start = dom.find(f'id="{anchor}"')
    if start < 0:
        return ""
    end = dom.find("<section", start + 1)
    return dom[start : end if end > 0 else len(dom)]


def _check_casebook(dom: str, sample: Any) -> list[str]:
    ids = [case.id for file in _casebook().load_cases() for case in file.cases]
    problems = []
    missing = [case_id for case_id in ids if f'id="{case_id}"' not in dom]
    if missing:
        problems.append(f"casebook.html: no anchor for {len(missing)} cases: {missing[:10]}")
    if len(set(ids)) != len(ids):
        problems.append("casebook.html: two cases share an id")
    html = _element(dom, sample.id)
    facts = sample.data.get(sample.input_key or "", {})
    keys = [key for key, _ in _casebook()._flatten(facts)]
    table = re.search(r"<table[^>]*leder-input.*?</table>", html, flags=re.DOTALL)
    if table is None:
        problems.append(f"casebook.html#{sample.id}: no facts table")
    else:
        shown = re.findall(r"<tr", table.group(0))
        absent = [key for key in keys if f">{key}<" not in table.group(0)]
        if len(shown) != len(keys) + 1 or absent:
            problems.append(
                f"casebook.html#{sample.id}: the facts table has {len(shown) - 1} rows for "
                f"{len(keys)} facts; missing {absent}"
            )
    if "<details" not in dom:
        problems.append("casebook.html: no collapsible block (cases written like another)")
    print(f"  casebook.html: {len(ids)} case anchors; sample case {sample.id}, {len(keys)} facts")
    return problems


def _check_rule_cases(dom: str) -> list[str]:
    """Every rule's entry links a case of the casebook, or says none exercises it yet."""
    problems, untested = [], []
    for rule in iter_rules():
        html = _element(dom, rule.id)
        if "casebook.html#" in html:
            continue
        if "No policy case exercises this rule yet" in html:
            untested.append(rule.id)
        else:
            problems.append(f"rules.html#{rule.id}: neither links a case nor says none does")
    print(f"  rules.html: rules no policy case exercises yet: {untested or 'none'}")
    return problems


def _check_rulesets(dom: str) -> list[str]:
    problems = []
    for anchor in ("ruleset-side-by-side", "parameter-changes"):
        if f'id="{anchor}"' not in dom:
            problems.append(f"rulesets.html: no table {anchor}")
    for ruleset in ("leder-2016", "leder-2021"):
        if ruleset not in dom:
            problems.append(f"rulesets.html: does not name {ruleset}")
    table = _element(dom, "parameter-changes")
    for parameter in vars(parameters).values():
        if not isinstance(parameter, Parameter):
            continue
        values = [entry.value for entry in parameter.timeline]
        changed = any(a != b for a, b in itertools.pairwise(values))
        if changed and f">{parameter.name}<" not in table:
            problems.append(f"rulesets.html: the change of {parameter.name} is not shown")
    return problems


if __name__ == "__main__":
    sys.exit(main())
