"""Run the examples of the documentation pages as tests (sybil).

Every ```` ```python ```` block of a ``docs/*.md`` page is collected; a block written with
``>>>`` prompts is checked as a doctest, any other block must simply run. The blocks of one page
share a namespace, in page order.
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.myst import PythonCodeBlockParser, SkipParser

# conf.py and the local Sphinx extension are build code, not tests: never import them here
# (they need Sphinx, which the test dependencies do not include).
collect_ignore = ["conf.py"]
collect_ignore_glob = ["_ext/*", "_build/*"]

pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        SkipParser(),
    ],
    patterns=["*.md"],
).pytest()
