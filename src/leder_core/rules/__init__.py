"""The rulebook as code: one module per rulebook section.

Nothing in this package reads the clock or does I/O; every date that matters is an argument.
Importing the package imports no rule module: :data:`~leder_core.rules.registry.RULES` finds a
rule through the static catalogue (:data:`~leder_core.rules.registry.CATALOGUE`) and imports
the module that defines it when the rule is first read.
"""
