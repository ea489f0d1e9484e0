"""Sphinx configuration for the leder_core documentation.

The build is offline (no intersphinx, no CDN) and runs with warnings as errors in CI:
``sphinx-build -W --keep-going -b html docs docs/_build/html``.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
# The checkout's code, not whatever version happens to be installed, is what gets documented.
sys.path.insert(0, str(DOCS.parent / "src"))
sys.path.insert(0, str(DOCS / "_ext"))

import leder_core  # noqa: E402 - needs the paths above

project = "leder_core"
author = "leder_core contributors"
project_copyright = "leder_core contributors"
version = release = leder_core.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.graphviz",
    "sphinx.ext.viewcode",
    "leder_docs",
    "leder_casebook",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "conftest.py", "Thumbs.db", ".DS_Store"]
language = "en"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True}

graphviz_output_format = "svg"

# Every cross-reference must resolve. Offline there is no intersphinx, so the standard library
# and third-party names that appear in signatures are accepted as plain text.
nitpicky = True
nitpick_ignore_regex = [
    ("py:class", r"(collections\.abc|datetime|enum|os|random|typing|types)\.\w+"),
    ("py:class", r"(Any|Mapping|Iterable|Iterator|Sequence|date|datetime|timedelta|StrEnum)"),
    ("py:class", r"(attrs|attr|cattrs|hypothesis)\..+"),
    # private names (type variables, the shape markers behind DocumentId and OdsCode)
    ("py:(class|obj)", r"leder_core(\.\w+)*\._\w+"),
]

html_theme = "furo"
html_title = f"leder_core {release}"
html_show_sourcelink = False
