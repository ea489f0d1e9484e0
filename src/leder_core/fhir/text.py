"""A FHIR extract as a readable table: each fact with its source, rule and sentence."""

from __future__ import annotations

from leder_core.models.fhir import FhirExtract

__all__ = ["format_fhir_extract_text"]


def format_fhir_extract_text(extract: FhirExtract) -> str:
    """The facts of an extract, one block each: field, source, rule, path, then its sentence.

    Only the facts' sentences and paths are shown, never the values read: they are a
    person's data.
    """
    width = max(len(fact.field) for fact in extract.facts)
    lines = [
        f"Notification {extract.notification.id}: facts read from the FHIR record",
        f"  {'Field':<{width}}  {'Source':<8}  Rule (element read)",
    ]
    for fact in extract.facts:
        rule = fact.rule or "-"
        where = f" ({fact.path})" if fact.path else ""
        lines.append(f"  {fact.field:<{width}}  {fact.source.value:<8}  {rule}{where}")
        lines.append(f"  {'':<{width}}  {'':<8}  {fact.text}")
    if extract.ignored:
        lines.append("  Ignored:")
        lines += [f"    {entry.path}: {entry.why}" for entry in extract.ignored]
    return "\n".join(lines)
