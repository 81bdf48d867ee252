"""Names of document fields as a handläggare says them, for places that show a field by its path (sync conflicts).

A path is the ``ibic.document_paths`` form (``investigation/assessments/d4/need``). Segments that are ids of list
elements carry no meaning for a reader and are left out; a life area id becomes its name from the reference data.
Swedish is the product's language; other languages get the field name spelled out (a test keeps every model field
in this table, so a new field cannot appear as a bare identifier).
"""

from __future__ import annotations

from ibic.document_paths import SEPARATOR
from ibic.reference import ReferenceData

FIELD_LABELS_SV: dict[str, str] = {
    # the case
    "case_number": "Ärendenummer", "person_id": "Person", "origin": "Aktualisering",
    "origin_note": "Anteckning om aktualiseringen", "applicant": "Sökande", "opened_on": "Öppnat",
    "status": "Status", "status_history": "Statushistorik", "caseworker": "Handläggare", "unit": "Enhet",
    "chosen_provider": "Vald utförare", "consents": "Samtycken", "application": "Ansökan",
    "investigation": "Utredning", "discharge": "Utskrivning från sjukhus", "proposals": "Förslag",
    "communication": "Kommunicering", "decisions": "Beslut", "decision_statuses": "Beslutens status",
    "follow_ups": "Uppföljningar", "document_version": "Dokumentversion", "id": "Id",
    # application
    "received_on": "Ansökan inkom", "form": "Form", "signed_by_person": "Undertecknad av den enskilde",
    "items": "Det den enskilde ansöker om", "withdrawn_on": "Återtagen", "insats_id": "Insats", "free_text": "Fritext",
    "in_persons_words": "Med den enskildes egna ord",
    # investigation and home visits
    "started_on": "Utredningen påbörjad", "visits": "Hembesök", "situation": "Nuvarande situation",
    "information_given": "Given information", "assessments": "Livsområden", "related_factors": "Relaterade faktorer",
    "health_condition": "Hälsotillstånd", "body_functions": "Kroppsfunktioner", "environment": "Omgivningsfaktorer",
    "personal_factors": "Personfaktorer", "visited_on": "Datum", "place": "Plats", "participants": "Deltagare",
    "interpreter_used": "Tolk användes", "interpreter_language": "Tolkspråk", "note": "Anteckning",
    "name": "Namn", "role": "Roll",
    # a life area
    "area_id": "Livsområde", "own_description": "Egen beskrivning", "others": "Andras beskrivning",
    "qualifier": "Bedömning på IBIC-skalan", "sub_areas": "Delområden", "code": "Kod",
    "assessment": "Handläggarens bedömning",
    "need": "Behov", "resources": "Resurser", "goal": "Mål", "not_relevant": "Ej aktuellt", "reason_id": "Skäl",
    "judged_by": "Bedömt av", "judged_on": "Bedömt den", "source_name": "Uppgiftslämnare",
    "source_role": "Uppgiftslämnarens roll", "consent_id": "Samtycke", "text": "Text", "recorded_on": "Antecknat",
    "recorded_by": "Antecknat av",
    # discharge
    "hospital_ward": "Vårdavdelning", "admission_notice_on": "Inskrivningsmeddelande",
    "ready_for_discharge_on": "Utskrivningsklar", "sip_meeting_on": "SIP-möte", "discharged_on": "Utskriven",
    # consents
    "given": "Samtycke lämnat", "given_on": "Samtycke lämnat den", "scope": "Omfattning", "method": "Sätt",
    "recipient": "Mottagare", "recipient_name": "Mottagarens namn", "withdrawal_note": "Anteckning om återkallelse",
    "valid_from": "Gäller från", "valid_to": "Gäller till",
    # proposals and decisions
    "proposal_id": "Förslag", "application_item_id": "Ansökt insats", "insats_text": "Insats",
    "need_exists": "Behov finns", "met_otherwise": "Tillgodoses på annat sätt",
    "needed_for_reasonable_living": "Behövs för skälig levnadsnivå", "fitting_insats": "Lämplig insats",
    "how_best_done": "Hur det bäst utförs", "how_person_wants_it": "Hur den enskilde vill ha det",
    "with_whom": "Tillsammans med vem", "whom_person_wants_present": "Vem den enskilde vill ha närvarande",
    "amount": "Omfattning", "granted_minutes": "Beviljad tid (minuter)", "starts_on": "Gäller från",
    "ends_on": "Gäller till", "motivation": "Motivering", "law_reference_id": "Lagrum",
    "appeal_notice_sv": "Hur man överklagar", "decided_on": "Beslutsdatum", "decided_by": "Beslutsfattare",
    "decision_id": "Beslut", "decision_ids": "Beslut", "replaces_decision_id": "Ersätter beslut", "on": "Datum",
    "by": "Av", "kind": "Typ", "comment": "Kommentar",
    # communication
    "material": "Underlag", "reply_by": "Svar senast", "response": "Svar",
    # follow-up
    "trigger": "Anledning", "planned_on": "Planerad", "done_on": "Genomförd", "period_start": "Period från",
    "period_end": "Period till", "performed_minutes": "Utförd tid (minuter)", "time_comparisons": "Tidsjämförelse",
    "goal_results": "Måluppfyllelse", "attainment": "Uppfyllelse", "person_experience": "Den enskildes upplevelse",
    "provider_view": "Utförarens synpunkter", "changed_needs": "Förändrade behov", "others_needed": "Andra behov",
    "not_done_reason": "Skäl till att det inte blev gjort", "outcome": "Resultat", "outcome_note": "Anteckning",
    "provider_consent_id": "Samtycke för utföraren",
    # the person
    "given_name": "Förnamn", "family_name": "Efternamn", "personal_number": "Personnummer", "sex": "Kön",
    "address": "Adress", "street": "Gatuadress", "postal_code": "Postnummer", "city": "Ort", "care_of": "c/o",
    "phone": "Telefon", "language": "Språk", "interpreter_needed": "Behöver tolk",
    "representatives": "Företrädare", "fictitious": "Fiktiv person",
    "patient_transport_entitled": "Rätt till sjukresa",
    # issue 13: notices, orders, follow-up and proposal additions
    "decision_notices": "Beslutsmeddelanden", "provider_orders": "Uppdrag till utförare", "sent_on": "Skickat",
    "notified_on": "Den enskilde fick del av beslutet", "provider": "Utförare",
    "frame_still_right_form": "Rambeslut fortfarande rätt beslutsform", "frame_form_note": "Om beslutsformen",
    "staff_count_14_days": "Antal personal under 14 dagar", "named_care_contact": "Fast omsorgskontakt",
    "for_medical_visits": "Följe till läkar- och vårdbesök",
}

# A field whose name means something else under one part of the case: a follow-up's outcome is its utfall (what it led
# to), not a decision's "Resultat" (docs/glossary.md: a follow-up decides nothing), and its note is the page's
# "Kommentar till utfallet", not a bare "Anteckning". Keyed by (collection, field).
FIELD_LABELS_SV_WITHIN: dict[tuple[str, str], str] = {
    ("follow_ups", "outcome"): "Utfall",
    ("follow_ups", "outcome_note"): "Kommentar till utfallet",
}


def field_label(path: str, ref: ReferenceData, language: str = "sv") -> str:
    """``path`` as the words a handläggare knows, parts joined by " › " (list element ids left out)."""
    parts: list[str] = []
    segments = path.split(SEPARATOR)
    if segments[:2] == ["investigation", "assessments"] and len(segments) > 2 and _is_area(segments[2], ref):
        segments = segments[1:]  # "Personlig vård › Behov" says it all; the area names its place
    for index, segment in enumerate(segments):
        after = segments[index - 1] if index > 0 else ""
        if after == "assessments" and _is_area(segment, ref):
            parts = [ref.life_area(segment).label(language)]
        elif after == "sub_areas":
            parts.append(_sub_area_label(segment, ref, language))  # "d450 Gå": the code is what IBIC users say
        elif segment in FIELD_LABELS_SV:
            parts.append(_label_sv(segments[0], segment) if language == "sv"
                         else segment.replace("_", " ").capitalize())
        # anything else is the id of a list element: meaningless to a reader
    return " › ".join(parts) if parts else path


def _label_sv(collection: str, segment: str) -> str:
    return FIELD_LABELS_SV_WITHIN.get((collection, segment), FIELD_LABELS_SV[segment])


def _sub_area_label(code: str, ref: ReferenceData, language: str) -> str:
    for area in ref.life_areas:
        for sub in area.sub_areas:
            if sub.code == code:
                return f"{code} {sub.label_sv if language == 'sv' else sub.label_en}"
    return code


def _is_area(segment: str, ref: ReferenceData) -> bool:
    return any(area.id == segment for area in ref.life_areas)
