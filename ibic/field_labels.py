"""Names of document fields as a handläggare says them, for places that show a field by its path (sync conflicts).

A path is the ``ibic.document_paths`` form (``investigation/assessments/d4/need``). Segments that are ids of list
elements carry no meaning for a reader and are left out; a life area id becomes its name from the reference data.
Swedish is the product's language; the English interface has its own table (tests keep every model field in both,
so a new field cannot appear as a bare identifier, and no two fields of one part of a case share a name).
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
    "proposal_id": "Förslag", "application_item_id": "Ansökt insats", "insats_text": "Insatsens benämning",
    "need_exists": "Behov finns", "met_otherwise": "Tillgodoses på annat sätt",
    "needed_for_reasonable_living": "Behövs för skälig levnadsnivå", "fitting_insats": "Lämplig insats",
    "how_best_done": "Hur det bäst utförs", "how_person_wants_it": "Hur den enskilde vill ha det",
    "with_whom": "Tillsammans med vem", "whom_person_wants_present": "Vem den enskilde vill ha närvarande",
    "amount": "Omfattning", "granted_minutes": "Beviljad tid (minuter)", "starts_on": "Gäller från",
    "ends_on": "Gäller till", "motivation": "Motivering", "law_reference_id": "Lagrum",
    "appeal_notice_sv": "Hur man överklagar", "decided_on": "Beslutsdatum", "decided_by": "Beslutsfattare",
    "decision_id": "Beslut", "decision_ids": "Beslut", "replaces_decision_id": "Ersätter beslut", "on": "Datum",
    "by": "Av", "kind": "Typ", "comment": "Kommentar",
    # a status change: why and from what status a case was closed
    "reason": "Avslutsorsak", "reason_note": "Avslutsorsak i fritext", "closed_from": "Avslutat från status",
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
    # a proposal's or decision's omfattning: its amount read "Omfattning › Omfattning", its form a bare "Form"; the
    # proposal page's words ("Omfattning (mängd)", "Beslutsform")
    ("proposals", "amount"): "Mängd", ("decisions", "amount"): "Mängd",
    ("proposals", "form"): "Beslutsform", ("decisions", "form"): "Beslutsform",
}


# English, as the English interface names the fields: the identifier spelled out read "Follow ups › Outcome", which is
# the proposal's "Outcome" (of a decision), "By", "On" and "Id". Swedish domain words the English interface keeps
# (utredning, insats) stay Swedish here too.
FIELD_LABELS_EN: dict[str, str] = {
    # the case
    "case_number": "Case number", "person_id": "Person", "origin": "How the case arose",
    "origin_note": "Note on how the case arose", "applicant": "Applicant", "opened_on": "Opened",
    "status": "Status", "status_history": "Status history", "caseworker": "Caseworker", "unit": "Unit",
    "chosen_provider": "Chosen utförare", "consents": "Consents", "application": "Application",
    "investigation": "Utredning", "discharge": "Discharge from hospital", "proposals": "Proposals",
    "communication": "Kommunicering", "decisions": "Decisions", "decision_statuses": "Status of the decisions",
    "follow_ups": "Follow-ups", "document_version": "Document version", "id": "Id",
    # application
    "received_on": "Application received", "form": "Form", "signed_by_person": "Signed by the person",
    "items": "What the person applies for", "withdrawn_on": "Withdrawn", "insats_id": "Insats",
    "free_text": "Free text", "in_persons_words": "In the person's own words",
    # investigation and home visits
    "started_on": "Utredning started", "visits": "Home visits", "situation": "Current situation",
    "information_given": "Information given", "assessments": "Life areas", "related_factors": "Related factors",
    "health_condition": "Health condition", "body_functions": "Body functions", "environment": "Environmental factors",
    "personal_factors": "Personal factors", "visited_on": "Date", "place": "Place", "participants": "Participants",
    "interpreter_used": "Interpreter used", "interpreter_language": "Interpreter's language", "note": "Note",
    "name": "Name", "role": "Role",
    # a life area
    "area_id": "Life area", "own_description": "Own description", "others": "Others' descriptions",
    "qualifier": "Rating on the IBIC scale", "sub_areas": "Sub-areas", "code": "Code",
    "assessment": "The caseworker's assessment",
    "need": "Need", "resources": "Resources", "goal": "Goal", "not_relevant": "Not relevant", "reason_id": "Reason",
    "judged_by": "Judged by", "judged_on": "Judged on", "source_name": "Source of the information",
    "source_role": "The source's role", "consent_id": "Consent", "text": "Text", "recorded_on": "Recorded",
    "recorded_by": "Recorded by",
    # discharge
    "hospital_ward": "Hospital ward", "admission_notice_on": "Admission notice",
    "ready_for_discharge_on": "Ready for discharge", "sip_meeting_on": "SIP meeting", "discharged_on": "Discharged",
    # consents
    "given": "Consent given", "given_on": "Consent given on", "scope": "Scope", "method": "How given",
    "recipient": "Recipient", "recipient_name": "Recipient's name", "withdrawal_note": "Note on the withdrawal",
    "valid_from": "Valid from", "valid_to": "Valid to",
    # proposals and decisions
    "proposal_id": "Proposal", "application_item_id": "Insats applied for", "insats_text": "Name of the insats",
    "need_exists": "Need exists", "met_otherwise": "Met in another way",
    "needed_for_reasonable_living": "Needed for a reasonable standard of living", "fitting_insats": "Fitting insats",
    "how_best_done": "How it is best carried out", "how_person_wants_it": "How the person wants it",
    "with_whom": "With whom", "whom_person_wants_present": "Whom the person wants present",
    "amount": "Amount", "granted_minutes": "Granted time (minutes)", "starts_on": "Valid from",
    "ends_on": "Valid to", "motivation": "Motivation", "law_reference_id": "Legal basis",
    "appeal_notice_sv": "How to appeal", "decided_on": "Decision date", "decided_by": "Decided by",
    "decision_id": "Decision", "decision_ids": "Decisions", "replaces_decision_id": "Replaces decision", "on": "Date",
    "by": "Made by", "kind": "Kind", "comment": "Comment",
    # a status change: why and from what status a case was closed
    "reason": "Reason for closing", "reason_note": "Reason for closing, in words", "closed_from": "Closed from status",
    # communication
    "material": "Material", "reply_by": "Reply by", "response": "Reply",
    # follow-up
    "trigger": "What started the follow-up", "planned_on": "Planned", "done_on": "Done",
    "period_start": "Period from", "period_end": "Period to", "performed_minutes": "Performed time (minutes)",
    "time_comparisons": "Time comparison", "goal_results": "Goal attainment", "attainment": "Attainment",
    "person_experience": "The person's experience", "provider_view": "The utförare's view",
    "changed_needs": "Changed needs", "others_needed": "Other needs",
    "not_done_reason": "Why it was not done", "outcome": "Outcome", "outcome_note": "Note",
    "provider_consent_id": "Consent for the utförare",
    # the person
    "given_name": "Given name", "family_name": "Family name", "personal_number": "Personnummer", "sex": "Sex",
    "address": "Address", "street": "Street address", "postal_code": "Postcode", "city": "Town", "care_of": "c/o",
    "phone": "Phone", "language": "Language", "interpreter_needed": "Needs an interpreter",
    "representatives": "Representatives", "fictitious": "Fictitious person",
    "patient_transport_entitled": "Entitled to patient transport",
    # issue 13: notices, orders, follow-up and proposal additions
    "decision_notices": "Decision notices", "provider_orders": "Orders to utförare", "sent_on": "Sent",
    "notified_on": "The person was notified of the decision", "provider": "Utförare",
    "frame_still_right_form": "Rambeslut still the right form of decision",
    "frame_form_note": "On the form of decision",
    "staff_count_14_days": "Number of staff in 14 days", "named_care_contact": "Named care contact",
    "for_medical_visits": "Escort to medical and care visits",
}

# As FIELD_LABELS_SV_WITHIN, in the English interface's words (the follow-up page's "Follow-up outcome" and "Note
# on the outcome"): a bare "Outcome" is a decision's in the English interface, and "Note" could be any note.
FIELD_LABELS_EN_WITHIN: dict[tuple[str, str], str] = {
    ("follow_ups", "outcome"): "Follow-up outcome",
    ("follow_ups", "outcome_note"): "Note on the outcome",
    # the proposal page's "Scope" and "Decision form", not a bare "Form"
    ("proposals", "form"): "Decision form", ("decisions", "form"): "Decision form",
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
            parts.append(_label(segments[0], segment, language))
        # anything else is the id of a list element: meaningless to a reader
    return " › ".join(parts) if parts else path


# The fields whose values are a vocabulary's (``resources/reference/vocabulary.toml``), by field name, or by the part of
# the case and the field where one name holds two vocabularies (a form, an outcome, a kind).
VALUE_VOCABULARIES: dict[str, str] = {
    "origin": "case_origin", "applicant": "applicant", "status": "case_status", "closed_from": "case_status",
    "reason": "closing_reason", "place": "visit_place", "recipient": "consent_recipient",
    "method": "communication_method", "trigger": "follow_up_trigger", "attainment": "goal_attainment",
    "judged_by": "actor", "sex": "sex",
}
VALUE_VOCABULARIES_WITHIN: dict[tuple[str, str], str] = {
    ("application", "form"): "application_form", ("consents", "form"): "consent_form",
    ("decisions", "form"): "decision_form", ("proposals", "form"): "decision_form",
    ("decisions", "outcome"): "decision_outcome", ("proposals", "outcome"): "decision_outcome",
    ("follow_ups", "outcome"): "follow_up_outcome", ("decision_statuses", "kind"): "decision_status",
}


def value_label(path: str, value: object, ref: ReferenceData, language: str = "sv") -> str | None:
    """The words for ``value`` at ``path`` where it is a vocabulary's value ("Avslutad" for a status ``closed``), else
    None: the conflict dialog showed a status conflict as "investigation" against "closed" (s33-conflict)."""
    segments = path.split(SEPARATOR)
    field = segments[-1]
    vocabulary = VALUE_VOCABULARIES_WITHIN.get((segments[0], field)) or VALUE_VOCABULARIES.get(field)
    if vocabulary is None or not isinstance(value, str):
        return None
    try:
        return ref.label(vocabulary, value, language)
    except KeyError:  # a value this release does not know: shown as it is
        return None


def _label(collection: str, segment: str, language: str) -> str:
    if language == "sv":
        return FIELD_LABELS_SV_WITHIN.get((collection, segment), FIELD_LABELS_SV[segment])
    return FIELD_LABELS_EN_WITHIN.get((collection, segment), FIELD_LABELS_EN.get(segment, segment))


def _sub_area_label(code: str, ref: ReferenceData, language: str) -> str:
    for area in ref.life_areas:
        for sub in area.sub_areas:
            if sub.code == code:
                return f"{code} {sub.label_sv if language == 'sv' else sub.label_en}"
    return code


def _is_area(segment: str, ref: ReferenceData) -> bool:
    return any(area.id == segment for area in ref.life_areas)
