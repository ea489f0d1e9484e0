"""Everything a person reads: the words, tables, CSV rows and diagrams of the library's results.

Nothing here decides anything: the rules decide and return results and facts; each module here
words or draws one kind of them.

- :mod:`leder_core.render.text`: assessments, review results, bodies, interpretations and the
  rule catalogue as plain text.
- :mod:`leder_core.render.indicators`: the indicators as a text table and CSV rows.
- :mod:`leder_core.render.governance`: the sentences and evidence of each governance
  requirement.
- :mod:`leder_core.render.governance_report`: a compliance report as text for a meeting.
- :mod:`leder_core.render.diagram`: the review workflow as Graphviz DOT and Mermaid, drawn from
  the workflow's transition table.
"""
