"""Everything a person reads: the words, tables, CSV rows and diagrams of the library's results.

Nothing here decides anything: the rules decide and return results and facts; each module here
words one kind of them.

- :mod:`leder_core.render.governance`: the sentences of a governance compliance report.
"""
