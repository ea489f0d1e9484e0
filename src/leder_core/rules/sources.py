"""Every public source the rules cite, defined once and referred to by name.

A rule cites sources by key (``"leder-policy-2021"``); the catalogue, the docs and every
explanation read the title and address from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from leder_core.models.explanation import Citation

__all__ = ["SOURCES", "cite"]

_SOURCES: dict[str, Citation] = {
    "leder-policy-2021": Citation(
        title="NHS England: LeDeR policy 2021 (Learning from lives and deaths)",
        url="https://www.england.nhs.uk/learning-disabilities/improving-health/mortality-review/",
    ),
    "leder-process": Citation(
        title="LeDeR: the LeDeR process",
        url="https://leder.nhs.uk/about/the-leder-process",
    ),
    "leder-faq": Citation(
        title="LeDeR: frequently asked questions",
        url="https://www.leder.nhs.uk/resources/frequently-asked-questions",
    ),
    "leder-who-is-involved": Citation(
        title="NHS England: LeDeR, who is involved",
        url="https://www.england.nhs.uk/learning-disabilities/improving-health/mortality-review/leder/who-is-involved",
    ),
    "leder-roles": Citation(
        title="LeDeR: roles and responsibilities",
        url="https://leder.nhs.uk/about/roles-and-responsibilities",
    ),
    "leder-working-with-families": Citation(
        title="LeDeR: working with families",
        url="https://www.leder.nhs.uk/about/working-with-families",
    ),
    "nhse-leder-faq-2016": Citation(
        title="NHS England: LeDeR frequently asked questions (Bristol programme)",
        url="https://www.england.nhs.uk/learning-disabilities/improving-health/mortality-review/frequently-asked-questions/",
    ),
    "bristol-annual-report-2018": Citation(
        title="HQIP: The Learning Disabilities Mortality Review annual report 2018",
        url="https://hqip.org.uk/resource/the-learning-disabilities-mortality-review-annual-report-2018",
    ),
    "adass-leder": Citation(
        title="ADASS: the Learning Disability Mortality Review (LeDeR) programme",
        url="https://www.adass.org.uk/the-learning-disability-mortality-review-leder-programme",
    ),
    "mip-2021-autism": Citation(
        title="Management in Practice, 24 March 2021: people with autism included in learning "
        "disability mortality programme for first time",
        url="https://managementinpractice.com/news/people-with-autism-included-in-learning-disability-mortality-programme-for-first-time/",
    ),
    "nhse-announcement-2021": Citation(
        title="NHS England announcement, 25 March 2021: learning disability mortality review to "
        "include autistic people (as reported by Disability Insider)",
        url="https://disabilityinsider.com/2021/03/25/health/nhs-announces-learning-disability-mortality-review-to-include-autistic-people/",
    ),
    "nel-icb-leder": Citation(
        title="NHS North East London ICB: LeDeR (reviews of autistic adults from 1 January 2022)",
        url="https://northeastlondon.icb.nhs.uk/your-health/learning-disabilities-and-autism/leder/",
    ),
    "lga-leder-2023": Citation(
        title="Local Government Association: Learning from life and death reviews, December 2023",
        url="https://local.gov.uk/parliament/briefings-and-responses/learning-life-and-death-reviews-people-learning-disability-and",
    ),
    "necldn-leder": Citation(
        title="North East and Cumbria Learning Disability Network: LeDeR",
        url="https://necldnetwork.co.uk/work-programmes/leder/",
    ),
    "lincs-lmc-opt-out": Citation(
        title="Lincolnshire LMC: LeDeR and the national data opt-out",
        url="https://lincslmc.co.uk/?p=6051",
    ),
    "pq-hl10253": Citation(
        title="UK Parliament written question HL10253: Learning Disabilities Mortality Review "
        "Programme",
        url="https://parallelparliament.co.uk/question/HL10253/learning-disabilities-mortality-review-programme",
    ),
    "pq-hl10254": Citation(
        title="UK Parliament written question HL10254: Learning Disabilities Mortality Review "
        "Programme",
        url="https://parallelparliament.co.uk/question/HL10254/learning-disabilities-mortality-review-programme",
    ),
    "pq-1707": Citation(
        title="UK Parliament written question 1707, January 2020: Learning Disabilities "
        "Mortality Review Programme (six months from notification, under the Bristol programme)",
        url="https://parallelparliament.co.uk/question/1707/learning-disabilities-mortality-review-programme",
    ),
    "hsj-2021-governance": Citation(
        title="HSJ, 24 March 2021: flagship death review programme had 'unclear' and limited "
        "impact",
        url="https://www.hsj.co.uk/patient-safety/flagship-death-review-programme-had-unclear-and-limited-impact/7029771.article",
    ),
    "hsj-2019-backlog": Citation(
        title="HSJ: death review backlog still growing despite NHSE commitment",
        url="https://www.hsj.co.uk/patient-safety/exclusive-death-review-backlog-still-growing-despite-nhse-commitment/7026645.article",
    ),
    "landmark-icb-2022": Citation(
        title="Landmark Chambers: clinical commissioning groups are now abolished and replaced "
        "with integrated care boards",
        url="https://www.landmarkchambers.co.uk/news-and-cases/clinical-commissioning-groups-are-now-abolished-and-are-replaced-with-integrated-care-boards",
    ),
    "nhsconfed-icb-mergers": Citation(
        title="NHS Confederation: ICB clusters and mergers",
        url="https://www.nhsconfed.org/publications/icb-clusters-and-mergers",
    ),
    "family-law-reform-act-1969-s9": Citation(
        title="Family Law Reform Act 1969, section 9 (time at which a person attains a "
        "particular age)",
        url="https://www.legislation.gov.uk/ukpga/1969/46/section/9",
    ),
    "coroners-and-justice-act-2009-s1": Citation(
        title="Coroners and Justice Act 2009, section 1 (duty to investigate certain deaths)",
        url="https://www.legislation.gov.uk/ukpga/2009/25/section/1",
    ),
    "policing-and-crime-act-2017-dols": Citation(
        title="RLB Law: requirement to hold an inquest where DoLS in place no longer 'state "
        "detention' from 3 April 2017",
        url="https://www.rlb-law.com/briefings/care-homes/requirement-hold-inquest-dols-no-longer-classified-state-detention-3-april-2017/",
    ),
    "ppo": Citation(
        title="Prisons and Probation Ombudsman: fatal incident investigations",
        url="https://www.ppo.gov.uk/",
    ),
    "ods-succession": Citation(
        title="NHS England Organisation Data Service: reference data catalogue, successions "
        "(successor organisation files succ.csv and succarc.csv)",
        url="https://odsdatasearchandexport.dc4h.link/referenceDataCatalogue/Succession_587381243.html",
    ),
    "ods-organisation-data": Citation(
        title="NHS England Organisation Data Service: reference data catalogue, organisation "
        "data (STP codes kept as ICB codes)",
        url="https://www.odsdatasearchandexport.nhs.uk/referenceDataCatalogue/Organisation-Data_571324868.html",
    ),
    "data-dictionary-sicbl": Citation(
        title="NHS Data Dictionary: Sub Integrated Care Board Location (CCG codes kept as "
        "sub-ICB location codes)",
        url="https://v3.datadictionary.nhs.uk/web_site_content/supporting_definitions/sub_integrated_care_board_location.asp",
    ),
    "ons-sicbl-icb-2022": Citation(
        title="ONS Open Geography Portal: LSOA (2011) to Sub ICB Locations to Integrated Care "
        "Boards (July 2022) lookup in England",
        url="https://geoportal.statistics.gov.uk/datasets/ons::lsoa-2011-to-sub-icb-locations-to-integrated-care-boards-july-2022-lookup-in-england/explore",
    ),
    "nhse-icbs-in-england": Citation(
        title="NHS England: integrated care boards in England (establishment and variation orders)",
        url="https://www.england.nhs.uk/publication/integrated-care-boards-in-england/",
    ),
    "icb-footprints-2026": Citation(
        title="Written Ministerial Statement HCWS915 (9 September 2025): integrated care boards, "
        "running costs and boundary alignment (footprints from 1 April 2026)",
        url="https://parallelparliament.co.uk/debate/2025-09-09/commons/written-statements/integrated-care-boards-running-costs-and-boundary-alignment-with-strategic-authorities/ministerial-extracts",
    ),
    "iopc": Citation(
        title="Independent Office for Police Conduct: deaths during or following police contact "
        "(Police Reform Act 2002, Schedule 3)",
        url="https://www.policeconduct.gov.uk/",
    ),
    "child-death-review-guidance": Citation(
        title="HM Government: Child death review statutory and operational guidance (England)",
        url="https://www.gov.uk/government/publications/child-death-review-statutory-and-operational-guidance-england",
    ),
    "nhs-data-dictionary-ethnic-category": Citation(
        title="NHS Data Dictionary: ETHNIC CATEGORY",
        url="https://www.datadictionary.nhs.uk/data_elements/ethnic_category.html",
    ),
    "gov-uk-bank-holidays": Citation(
        title="GOV.UK: UK bank holidays",
        url="https://www.gov.uk/bank-holidays",
    ),
    "banking-and-financial-dealings-act-1971": Citation(
        title="Banking and Financial Dealings Act 1971, schedule 1 (bank holidays)",
        url="https://www.legislation.gov.uk/ukpga/1971/80/schedule/1",
    ),
    "reviewer-independence": Citation(
        title="The Learning Disability Mortality Review (LeDeR) programme: independence of "
        "reviewers",
        url="https://autism-independence.org/learning-disability/the-learning-disability-mortality-review-leder-programme",
    ),
    "lga-leder-2021-changes": Citation(
        title="Local Government Association: changes to LeDeR, 2021",
        url="https://www.local.gov.uk/parliament/briefings-and-responses/changes-leder-learning-life-and-death-reviews-people-learning",
    ),
    "pq-hl11678": Citation(
        title="UK Parliament written question HL11678: Health services: learning disability",
        url="https://parallelparliament.co.uk/question/HL11678/health-services-learning-disability",
    ),
    "pq-hl14026": Citation(
        title="UK Parliament written question HL14026: Learning Disabilities Mortality Review "
        "Programme",
        url="https://www.parallelparliament.co.uk/question/HL14026/learning-disabilities-mortality-review-programme",
    ),
    "pq-hl11088": Citation(
        title="UK Parliament written question HL11088: Learning Disabilities Mortality Review "
        "Programme",
        url="https://www.parallelparliament.co.uk/question/HL11088/learning-disabilities-mortality-review-programme",
    ),
    "leder-action-from-learning-2021-22": Citation(
        title="LeDeR: Action from learning report 2021/22",
        url="https://www.leder.nhs.uk/resources/action-from-learning-reports/action-from-learning-report-2021-22",
    ),
    "kent-cht-leder": Citation(
        title="Kent Community Health NHS FT: LeDeR (the local area contact assigns reviews)",
        url="https://kentcht.nhs.uk/service/community-learning-disability-team/learning-from-the-lives-and-deaths-of-people-with-a-learning-disability-and-or-autism-leder",
    ),
    "east-sussex-leder-annual-report": Citation(
        title="East Sussex County Council: LeDeR annual report to the Health and Wellbeing Board",
        url="https://democracy.eastsussex.gov.uk/mgAi.aspx?ID=35401",
    ),
    "ncl-leder-2021": Citation(
        title="North Central London Health and Care: the LeDeR policy 2021",
        url="https://nclhealthandcare.org.uk/?p=1721",
    ),
    "kcl-leder": Citation(
        title="King's College London: LeDeR annual reports",
        url="https://www.kcl.ac.uk/research/leder",
    ),
    "uk-core-ig": Citation(
        title="HL7 UK and NHS England: FHIR R4 UK Core implementation guide (profiles, "
        "extensions and code systems)",
        url="https://github.com/NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN",
    ),
    "pds-fhir-api": Citation(
        title="NHS England: Personal Demographics Service (PDS) FHIR API",
        url="https://digital.nhs.uk/developer/api-catalogue/personal-demographics-service-fhir",
    ),
    "fhir-r4-condition": Citation(
        title="HL7 FHIR R4: Condition resource (clinical and verification status)",
        url="https://hl7.org/fhir/R4/condition.html",
    ),
    "fhir-r4-datatypes": Citation(
        title="HL7 FHIR R4: data types (date, dateTime and instant: seconds and offsets)",
        url="https://hl7.org/fhir/R4/datatypes.html#dateTime",
    ),
    "fhir-r4-references": Citation(
        title="HL7 FHIR R4: references between resources (contained resources, versions, "
        "logical references by identifier)",
        url="https://hl7.org/fhir/R4/references.html",
    ),
    "fhir-r4-observation-status": Citation(
        title="HL7 FHIR R4: Observation status value set",
        url="https://hl7.org/fhir/R4/valueset-observation-status.html",
    ),
    "gov-uk-clocks-change": Citation(
        title="GOV.UK: when the clocks change (British Summer Time)",
        url="https://www.gov.uk/when-do-the-clocks-change",
    ),
    "gov-uk-register-a-death": Citation(
        title="GOV.UK: register a death (deaths in England and Wales)",
        url="https://www.gov.uk/register-a-death",
    ),
    "pcd-refsets": Citation(
        title="NHS England: primary care domain reference set portal (LD_COD, AUTISM_COD)",
        url="https://digital.nhs.uk/data-and-information/data-collections-and-data-sets/data-collections/quality-and-outcomes-framework-qof/quality-and-outcome-framework-qof-business-rules/primary-care-domain-reference-set-portal",
    ),
    "opencodelists-ld-cod": Citation(
        title="OpenCodelists: NHS England primary care domain refset LD_COD (learning "
        "disability codes), releases 2021-01-27 and 2024-12-05",
        url="https://www.opencodelists.org/codelist/nhsd-primary-care-domain-refsets/ld_cod/",
    ),
    "opencodelists-autism-cod": Citation(
        title="OpenCodelists: NHS England primary care domain refset AUTISM_COD (autism "
        "codes), release 2021-01-27",
        url="https://www.opencodelists.org/codelist/nhsd-primary-care-domain-refsets/autism_cod/",
    ),
    "nhs-data-dictionary-mha-legal-status": Citation(
        title="NHS Data Dictionary: MENTAL HEALTH ACT LEGAL STATUS CLASSIFICATION CODE",
        url="https://www.datadictionary.nhs.uk/data_elements/mental_health_act_legal_status_classification_code.html",
    ),
    "nhs-data-dictionary-activity-location-type": Citation(
        title="NHS Data Dictionary: ACTIVITY LOCATION TYPE CODE",
        url="https://www.datadictionary.nhs.uk/data_elements/activity_location_type_code.html",
    ),
}

#: Every source by its key, read-only.
SOURCES: Final[Mapping[str, Citation]] = MappingProxyType(_SOURCES)


def cite(*keys: str) -> tuple[Citation, ...]:
    """The citations of the named sources; an unknown key is a programming error."""
    return tuple(SOURCES[key] for key in keys)
