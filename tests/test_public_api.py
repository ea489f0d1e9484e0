"""The public names other services depend on (docs/api.md) are frozen here.

Changing this list is a breaking change: it needs a new version and a changelog entry.
"""

from __future__ import annotations

import inspect

import leder_core

CONTRACT_NAMES = [
    "Interpretation",
    "InvalidInput",
    "TransitionRefused",
    "apply",
    "assess",
    "check_governance",
    "dump",
    "indicators",
    "load_assessment",
    "load_governance",
    "load_notification",
    "load_review",
    "review_result",
    "review_status",
]


def test_all_is_exactly_the_contract() -> None:
    assert leder_core.__all__ == CONTRACT_NAMES


def test_every_public_name_is_importable_and_documented() -> None:
    for name in leder_core.__all__:
        value = getattr(leder_core, name)
        assert inspect.getdoc(value), name


def test_errors_are_value_errors() -> None:
    assert issubclass(leder_core.InvalidInput, ValueError)
    assert issubclass(leder_core.TransitionRefused, ValueError)


def keyword_only(function: object) -> set[str]:
    signature = inspect.signature(function)  # type: ignore[arg-type]
    return {
        name
        for name, parameter in signature.parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_signatures_match_the_contract() -> None:
    assert keyword_only(leder_core.assess) == {"interpretation"}
    assert keyword_only(leder_core.load_review) == {"interpretation"}
    assert keyword_only(leder_core.review_status) == {"as_of", "interpretation"}
    assert keyword_only(leder_core.review_result) == {"as_of", "interpretation"}
    assert {"as_of", "interpretation"} <= keyword_only(leder_core.indicators)
    assert keyword_only(leder_core.check_governance) == {"as_of", "reviews", "interpretation"}


def test_the_interpretation_fields_are_the_contract_keys() -> None:
    document = leder_core.dump(leder_core.Interpretation())
    assert document == {
        "autism_start_key": "date_of_death",
        "autism_focused": "until_2023",
        "minority_ethnic": "excluding_white_minorities",
        "residence": "lived_in_england",
        "leap_day": "march_1",
        "clock": "excuse",
        "due_soon_days": 28,
        "annual_report_months": 6,
        "event_order": "recorded",
    }


BODIES_NAMES = {"body_on", "load_directory", "Directory", "bundled_directory", "BodyOnDate"}


def test_the_bodies_module_has_its_contract_names() -> None:
    from leder_core import bodies

    assert set(bodies.__all__) >= BODIES_NAMES
    for name in BODIES_NAMES:
        assert inspect.getdoc(getattr(bodies, name)), name
    assert keyword_only(bodies.body_on) == {"directory"}
    assert keyword_only(bodies.load_directory) == {"eccg", "eother", "succ"}
    assert {"as_of", "interpretation", "directory"} <= keyword_only(leder_core.indicators)


FHIR_NAMES = [
    "CodeList",
    "CodeLists",
    "Fact",
    "FactSource",
    "FhirExtract",
    "Ignored",
    "extract_notification",
    "load_code_lists",
    "parse_fhir_xml",
]


def test_the_fhir_module_s_names_are_frozen() -> None:
    """docs/how-to/fhir.md: ``leder_core.fhir`` (needs no extra for FHIR JSON)."""
    import leder_core.fhir

    assert leder_core.fhir.__all__ == FHIR_NAMES
    for name in FHIR_NAMES:
        assert inspect.getdoc(getattr(leder_core.fhir, name)), name
    assert keyword_only(leder_core.fhir.extract_notification) == {"supplied", "codes"}
    assert keyword_only(leder_core.fhir.load_code_lists) == {"learning_disability", "autism"}


def test_the_fhir_values_are_frozen_and_have_the_contract_fields() -> None:
    import attrs

    from leder_core.fhir import CodeLists, Fact, FhirExtract

    assert [field.name for field in attrs.fields(FhirExtract)] == [
        "notification",
        "facts",
        "ignored",
    ]
    assert [field.name for field in attrs.fields(Fact)] == [
        "field",
        "source",
        "rule",
        "path",
        "text",
    ]
    extract_fields = attrs.fields(FhirExtract)
    for kind, field in ((CodeLists, "autism"), (Fact, "text"), (FhirExtract, "facts")):
        instance = kind(**{f.name: None for f in attrs.fields(kind) if f.init})
        try:
            setattr(instance, field, None)
        except attrs.exceptions.FrozenInstanceError:
            continue
        raise AssertionError(f"{kind.__name__} is not frozen")
    assert extract_fields.facts.type is not None


STORE_NAMES = [
    "ImportRefused",
    "ReviewExists",
    "ReviewNotFound",
    "ReviewStore",
    "StoreError",
    "StoredEvent",
    "StoredReview",
    "VersionConflict",
    "open_store",
]


def test_the_store_module_s_names_are_frozen() -> None:
    """docs/how-to/database.md: ``leder_core.store`` (PostgreSQL needs the postgres extra)."""
    import attrs

    from leder_core import store

    assert store.__all__ == STORE_NAMES
    for name in STORE_NAMES:
        assert inspect.getdoc(getattr(store, name)), name
    assert keyword_only(store.ReviewStore.open_review) == {
        "interpretation",
        "recorded_by",
        "recorded_at",
    }
    assert keyword_only(store.ReviewStore.append) == {
        "expected_version",
        "recorded_by",
        "recorded_at",
    }
    assert [field.name for field in attrs.fields(store.StoredReview)] == [
        "review",
        "version",
        "interpretation",
    ]
    assert [field.name for field in attrs.fields(store.StoredEvent)] == [
        "version",
        "event",
        "recorded_by",
        "recorded_at",
    ]
    for error in (store.ReviewExists, store.ReviewNotFound, store.VersionConflict):
        assert issubclass(error, store.StoreError)
    assert not issubclass(store.StoreError, ValueError)
    assert store.StoreError is leder_core.errors.StoreError
