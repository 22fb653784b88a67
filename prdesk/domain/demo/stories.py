"""What demo cases are about: departments, categories, complainants' stories, investigation steps.

A story fixes a case's kind, main category and possible departments, and gives a complainant's
words. Braces are filled per case: {Patient}, {patient} ("I", "my mother"), {patient_obj},
{patient_poss}, {Patient_poss} ("my mother's"), {dept}, {day}, {time}, {hours}, {days},
{amount}, {staff} (a clinician), {nurse}, {role} and {item}.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from prdesk.domain.demo import names
from prdesk.domain.enums import CaseKind, TimelineKind

K, T = CaseKind, TimelineKind
Step = tuple[TimelineKind, str, str]  # a timeline entry's kind, summary and body

DEPARTMENTS = (
    "Emergency Department", "Cardiology", "Radiology", "Maternity", "Pharmacy", "Billing Office",
    "Outpatient Clinics", "Surgery", "Oncology", "Pediatrics", "Facilities", "Patient Transport",
)  # fmt: skip
# Each department's manager, whom requests for statements go to, and the backup reviewer
# they are escalated to. Facilities has no backup: its requests cannot be escalated.
DEPARTMENT_CONTACTS: dict[str, tuple[str, str]] = {
    "Emergency Department": ("Dr. Samuel Osei", "Trần Thị Lan"),
    "Cardiology": ("Dr. Amara Okafor", "Ewa Kowalczyk"),
    "Radiology": ("Dr. Hiroshi Tanaka", "María José Fernández"),
    "Maternity": ("Siobhán O'Connell", "Fatima Al-Sayed"),
    "Pharmacy": ("Rajesh Iyer", "Grace Mwangi"),
    "Billing Office": ("Linda Johansson", "Carlos Mendoza"),
    "Outpatient Clinics": ("Dr. Mei Lin Chen", "Tomáš Novák"),
    "Surgery": ("Dr. Alexander Petrov", "Dr. Ngozi Eze"),
    "Oncology": ("Dr. Sarah Goldberg", "Dr. Kwame Mensah"),
    "Pediatrics": ("Dr. Ana Lucía Rojas", "Park Jin-ho"),
    "Facilities": ("Brian McCarthy", ""),
    "Patient Transport": ("Deshawn Williams", "Olga Ivanova"),
}
CATEGORY_TREE: dict[str, tuple[str, ...]] = {
    "Communication": ("Rudeness", "Lack of information", "Language barrier"),
    "Care": ("Delay in treatment", "Pain management", "Medication error", "Discharge"),
    "Access": ("Appointment availability", "Waiting time", "Parking"),
    "Billing": ("Incorrect charge", "Insurance"),
    "Environment": ("Cleanliness", "Noise", "Food"),
    "Property": ("Lost item", "Damaged item"),
    "Staff recognition": ("Nursing", "Physician", "Support staff"),
}


@dataclass(frozen=True)
class Story:
    """One kind of thing that happens to patients, as they tell it.

    Attributes:
        severity: relative weights of low, moderate, high and severe harm.
        safety: how often it is a safety concern that must go to risk management.
        billing_only: a billing question alone, which CMS does not count as a grievance.
    """

    kind: CaseKind
    category: tuple[str, str]
    departments: tuple[str, ...]
    situations: tuple[str, ...]
    outcomes: tuple[str, ...]
    severity: tuple[int, int, int, int] = (6, 3, 0, 0)
    safety: float = 0.0
    billing_only: bool = False


# Stories read best as one block each; the formatter would split every argument onto a line.
# fmt: off
STORIES: tuple[Story, ...] = (
    Story(K.COMPLAINT, ("Care", "Delay in treatment"), ("Emergency Department", "Radiology"), (
        "{Patient} waited over {hours} hours in the {dept} on {day} night with chest pain before "
        "anyone examined {patient_obj}. When we asked why, {role} told us to sit down.",
        "{Patient} came in {time} on {day} with a swollen leg and was left on a stretcher in the "
        "hallway for {hours} hours. The scan was ordered but only done on the next shift.",
    ), ("An explanation of why it took so long, and what you are changing.",
        "I want the delay reviewed by someone senior and a written response."),
        severity=(1, 5, 3, 1), safety=0.08),
    Story(K.COMPLAINT, ("Communication", "Rudeness"),
          ("Emergency Department", "Outpatient Clinics", "Billing Office", "Patient Transport"), (
        "On {day} {role} in the {dept} spoke to {patient_obj} in a rude and dismissive way, "
        "rolled their eyes and said {patient} was wasting their time. Other patients heard it.",
        "When {patient} asked {nurse} for help {time}, she snapped that she had other patients "
        "and walked off. {Patient_poss} call light was then ignored for almost an hour.",
    ), ("An apology, and the staff member spoken to.", "The manager to take it up with staff."),
        severity=(5, 4, 1, 0)),
    Story(K.COMPLAINT, ("Communication", "Lack of information"),
          ("Surgery", "Oncology", "Cardiology"), (
        "{Patient_poss} operation on {day} was delayed {hours} hours and nobody in {dept} told "
        "the family anything. We sat there not knowing if something had gone wrong.",
        "After the procedure {staff} left without explaining the results, and the nurses said "
        "they could not answer our questions. We still do not know what the plan is.",
    ), ("Someone to sit down with us and explain what happened and what comes next.",
        "A meeting with the doctor and a clear written plan."), severity=(3, 6, 1, 0)),
    Story(K.COMPLAINT, ("Communication", "Language barrier"),
          ("Maternity", "Emergency Department", "Pediatrics"), (
        "{Patient} asked for an interpreter several times in the {dept} on {day}, but staff "
        "used a relative to translate instead. Important instructions were never explained.",
        "No interpreter was offered when {staff} went over the consent form, and {patient} "
        "signed without understanding it. The phone interpreter line was \"not working\".",
    ), ("Interpreters offered every time, as the law requires.",
        "The instructions explained again in our language, and staff reminded of the service."),
        severity=(2, 5, 3, 0), safety=0.1),
    Story(K.COMPLAINT, ("Care", "Pain management"),
          ("Surgery", "Oncology", "Emergency Department"), (
        "After surgery on {day} {patient} was in severe pain all night. The nurse said the "
        "medication could not be given for another {hours} hours and did not call the doctor.",
        "{Patient} pressed the call button {time} because of pain and waited {hours} hours for "
        "anything to be given. {nurse} said the pharmacy had not sent it up.",
    ), ("A review of how pain is managed on the unit.",
        "I want to know why the doctor was not called."), severity=(1, 5, 4, 0), safety=0.15),
    Story(K.COMPLAINT, ("Care", "Medication error"), ("Pharmacy", "Surgery", "Cardiology"), (
        "{Patient} was given the wrong dose of a blood thinner on {day}. We only noticed "
        "because the tablets looked different. The nurse said it was a pharmacy mix-up.",
        "The discharge prescription filled by the {dept} had a medication {patient} is allergic "
        "to, even though the allergy is on the wristband and in the chart.",
    ), ("A full investigation and assurance it will not happen again.", "To know how it happened."),
        severity=(0, 2, 5, 3), safety=0.7),
    Story(K.COMPLAINT, ("Care", "Discharge"), ("Surgery", "Cardiology", "Outpatient Clinics"), (
        "{Patient} was discharged {time} on {day} without any instructions or follow-up "
        "appointment and was readmitted {days} days later with the same problem.",
        "We were told at 9 in the morning that {patient} was going home, then waited until "
        "evening for the paperwork and medicines. Nobody explained the new medications.",
    ), ("A proper discharge plan and an apology for the readmission.",
        "For the discharge process to be reviewed."), severity=(1, 5, 3, 1), safety=0.1),
    Story(K.COMPLAINT, ("Billing", "Incorrect charge"),
          ("Billing Office", "Radiology", "Emergency Department"), (
        "I received a bill for ${amount} for an MRI that was cancelled. I have called the "
        "Billing Office three times and each time I am told someone will call back.",
        "The statement charges {patient_obj} twice for the same {dept} visit on {day}. I sent "
        "the receipts but the account was still sent to collections.",
    ), ("The incorrect charge removed and the collections notice withdrawn.",
        "A corrected, itemized bill."), billing_only=True),
    Story(K.COMPLAINT, ("Billing", "Insurance"), ("Billing Office",), (
        "The hospital did not send the claim to {patient_poss} insurance before the deadline, "
        "so it was denied and now I am being asked to pay ${amount} myself.",
        "Registration entered the wrong insurance policy number on {day} and now the visit "
        "shows as out of network.",
    ), ("The claim resubmitted to the right insurer.", "Written confirmation that I owe nothing."),
        billing_only=True),
    Story(K.COMPLAINT, ("Environment", "Cleanliness"), ("Facilities", "Surgery", "Maternity"), (
        "{Patient_poss} room had blood on the floor and an overflowing trash can when we "
        "arrived on {day}. The bathroom was not cleaned in the {days} days of the stay.",
        "There was used equipment left in the room and the sheets were stained. When I asked "
        "{role} for clean linen I was told to wait for housekeeping.",
    ), ("The room cleaned properly and the unit inspected.",
        "An apology and an explanation of the cleaning schedule."), severity=(4, 5, 1, 0)),
    Story(K.COMPLAINT, ("Environment", "Noise"), ("Cardiology", "Surgery", "Pediatrics"), (
        "Staff talked and laughed loudly outside {patient_poss} room every night, and alarms "
        "went off for hours. {Patient} could not sleep at all for {days} nights.",
    ), ("Quiet hours respected at night.", "Some consideration for patients trying to rest.")),
    Story(K.COMPLAINT, ("Access", "Waiting time"),
          ("Outpatient Clinics", "Radiology", "Cardiology"), (
        "{Patient} had an appointment in {dept} at 9:30 on {day} and was not seen until after "
        "1 p.m. No one apologised or told us why.",
    ), ("Patients kept informed when clinics run late.", "An apology for the wait.")),
    Story(K.COMPLAINT, ("Access", "Parking"), ("Facilities",), (
        "The parking structure was full again on {day} and there is no drop-off space near the "
        "entrance. {Patient} uses a walker and had to walk the whole block.",
    ), ("More accessible parking near the main entrance.",), severity=(7, 2, 0, 0)),
    Story(K.COMPLIMENT, ("Staff recognition", "Nursing"),
          ("Maternity", "Oncology", "Surgery", "Cardiology"), (
        "I want to thank {nurse} in {dept}. She looked after {patient_obj} {time} with such "
        "patience and kindness and explained everything. She made a frightening week bearable.",
        "The nurses in {dept} were wonderful to {patient_obj} during {days} days there, "
        "especially {nurse}, who always had time for a kind word.",
    ), ("Please pass on our thanks and make sure {nurse} is recognised.",
        "Please let her manager know."), severity=(10, 0, 0, 0)),
    Story(K.COMPLIMENT, ("Staff recognition", "Physician"),
          ("Cardiology", "Oncology", "Emergency Department", "Pediatrics"), (
        "{staff} in {dept} took the time to listen to {patient_obj} and explain every option. "
        "After months of being passed around, somebody finally took us seriously.",
        "{staff} saw {patient_obj} in {dept} {time} on {day} and found what others had "
        "missed. We are so grateful.",
    ), ("Please thank the doctor on our behalf.",), severity=(10, 0, 0, 0)),
    Story(K.COMPLIMENT, ("Staff recognition", "Support staff"),
          ("Patient Transport", "Facilities", "Radiology"), (
        "The transport aide who took {patient_obj} down to {dept} on {day} was so gentle and "
        "cheerful. Small things like that make a real difference.",
        "{role} in {dept} went out of their way to find a wheelchair and walk us to the car.",
    ), ("Please pass on our thanks.",), severity=(10, 0, 0, 0)),
    Story(K.INFORMATION_REQUEST, ("Communication", "Lack of information"),
          ("Outpatient Clinics", "Radiology", "Oncology"), (
        "How can I get a copy of {patient_poss} records and imaging from the {dept} visit on "
        "{day}? The new specialist needs them before the appointment.",
        "Who can I speak to about the visiting rules in {dept}? We were given different "
        "answers at the desk and on the phone.",
    ), ("The right form and a contact name.", "A call back with the information."),
        severity=(10, 0, 0, 0)),
    Story(K.INFORMATION_REQUEST, ("Billing", "Insurance"), ("Billing Office",), (
        "Please send me an itemized bill for {patient_poss} stay so I can submit it to the "
        "secondary insurance. I also need to know if the hospital offers payment plans.",
    ), ("An itemized bill and information on financial assistance.",), severity=(10, 0, 0, 0),
        billing_only=True),
    Story(K.LOST_BELONGINGS, ("Property", "Lost item"),
          ("Emergency Department", "Surgery", "Radiology"), (
        "{Patient_poss} {item} went missing after being moved from the {dept} to a ward on "
        "{day}. Everything was in a labelled bag on the stretcher.",
        "The belongings bag with {patient_poss} {item} was taken at admission and not given "
        "back at discharge. Security says there is no record of it.",
    ), ("The {item} found and returned, or the cost reimbursed.",
        "Reimbursement for the replacement."), severity=(5, 4, 1, 0)),
    Story(K.LOST_BELONGINGS, ("Property", "Damaged item"), ("Patient Transport", "Facilities"), (
        "The aide dropped the bag holding {patient_poss} {item} during a transfer on {day}, "
        "and the damage was never reported.",
    ), ("The repair or replacement paid for.",)),
    Story(K.APPOINTMENT_ACCESS, ("Access", "Appointment availability"),
          ("Cardiology", "Oncology", "Outpatient Clinics", "Radiology"), (
        "The earliest follow-up {dept} can offer {patient_obj} is in four months, but the "
        "discharge papers say to be seen within {days} days. Nobody returns my calls.",
        "{Patient_poss} referral to {dept} was sent {days} days ago and the scheduling line "
        "says they never received it.",
    ), ("An appointment within the time the doctor asked for.",
        "Someone to sort out the referral and call us."), severity=(3, 5, 2, 0)),
    Story(K.APPOINTMENT_ACCESS, ("Access", "Waiting time"), ("Radiology", "Outpatient Clinics"), (
        "{Patient_poss} scan in {dept} has been cancelled and rebooked three times. Each time "
        "we find out only when we arrive.",
    ), ("A confirmed date and a call if anything changes.",), severity=(4, 5, 1, 0)),
    Story(K.OTHER_FEEDBACK, ("Environment", "Food"), ("Facilities", "Maternity", "Surgery"), (
        "The food on the ward was cold most days and there were no vegetarian or halal options "
        "on the menu. It would help to have the menu in other languages too.",
    ), ("Better meal choices for patients with dietary needs.",), severity=(9, 1, 0, 0)),
    Story(K.OTHER_FEEDBACK, ("Access", "Parking"), ("Facilities", "Outpatient Clinics"), (
        "Suggestion: the signs from the parking structure to {dept} are confusing. We walked in "
        "circles on {day} and nearly missed the appointment.",
    ), ("Clearer signs, maybe colored lines on the floor.",), severity=(10, 0, 0, 0)),
)

CLOSINGS: dict[CaseKind, tuple[str, ...]] = {
    K.COMPLAINT: ("I expect better from a hospital.", "Nobody seemed to care.", "",
                  "I am writing so this does not happen to another family."),
    K.COMPLIMENT: ("Thank you all.", "We will never forget it.", ""),
}

# Investigation steps in the order they are usually taken; often without a body, as in real use.
STEPS: tuple[Step, ...] = (
    (T.PHONE_CALL, "Called {contact} to acknowledge the concern and confirm details",
     "Explained the review process and when to expect our response."),
    (T.EMAIL_RECEIVED, "Email from {contact} with further details of the visit", ""),
    (T.NOTE, "Prefers calls after 5 p.m.", ""),
    (T.MEETING, "Met {contact} at the Patient Relations office",
     "Went through the concerns point by point; a relative came along for support."),
    (T.RECORD_REVIEW, "Reviewed the {dept} record of the visit",
     "Times in the record are consistent with the account given."),
    (T.RECORD_REVIEW, "Reviewed the medication administration record", ""),
    (T.DEPARTMENT_REQUEST, "Asked the {dept} manager for a written statement", ""),
    (T.STAFF_INTERVIEW, "Interviewed staff on duty in {dept} at the time",
     "Staff recall the shift as very busy; two nurses were off sick."),
    (T.STAFF_INTERVIEW, "Spoke with {staff} about the events described", ""),
    (T.PHONE_CALL, "Returned call from {contact}; left voicemail", ""),
    (T.NOTE, "Awaiting information from {contact}", ""),
    (T.DEPARTMENT_RESPONSE, "{dept} manager responded; staff coaching completed", ""),
    (T.DEPARTMENT_RESPONSE, "{dept} confirmed the process has been changed",
     "New checklist introduced at shift handover from next month."),
    (T.MEETING, "Care conference with family, {dept} nurse manager and attending", ""),
    (T.PHONE_CALL, "Spoke with {contact} about progress of the review", ""),
    (T.EMAIL_SENT, "Emailed {contact} a progress update", ""),
)
COMPLIMENT_STEPS: tuple[Step, ...] = (
    (T.EMAIL_SENT, "Forwarded the compliment to the {dept} manager", ""),
    (T.DEPARTMENT_RESPONSE, "{dept} manager shared it at the staff huddle", ""),
    (T.PHONE_CALL, "Called {contact} to thank them for the feedback", ""),
    (T.NOTE, "Nominated for the quarterly recognition award", ""),
)
ESCALATION = (T.ESCALATION, "Referred to Risk Management as a possible safety event",
              "Safety event report filed; risk manager informed the same day.")
ALERT_NOTE = (T.NOTE, "Behavioural alert: complainant was verbally aggressive at the front desk",
              "Security attended. Meet only with a second staff member present.")
# fmt: on


@dataclass(frozen=True)
class Told:
    """A story as one complainant told it; `staff` is whom a staff interview would be with."""

    story: Story
    departments: tuple[str, ...]
    description: str
    desired_outcome: str
    location: str
    staff_involved: str
    staff: str


def tell(rng: random.Random, kind: CaseKind, phrase: str | None, child: bool) -> Told:
    """A story of `kind`, told by the patient (`phrase` None) or by someone about "my mother"."""
    story = rng.choice(_BY_KIND[kind])
    fitting = [d for d in story.departments if child or d != "Pediatrics"] or story.departments
    departments = tuple(rng.sample(fitting, min(len(fitting), rng.choice((1, 1, 1, 2, 2, 3)))))
    nurse, clinician = rng.choice(names.NURSES), rng.choice(names.CLINICIANS)
    who, whose = (phrase, f"{phrase}'s") if phrase else ("I", "my")
    slots = dict(
        patient=who, Patient=who.capitalize(), patient_obj=phrase or "me", patient_poss=whose,
        Patient_poss=whose.capitalize(), dept=departments[0], day=rng.choice(names.WEEKDAYS),
        time=rng.choice(names.TIMES), hours=rng.randint(2, 9), days=rng.randint(2, 10),
        amount=f"{rng.randint(80, 4800):,}.{rng.randrange(100):02d}", staff=clinician,
        nurse=nurse, role=rng.choice(names.STAFF_ROLES), item=rng.choice(names.ITEMS),
    )  # fmt: skip
    situation = rng.choice(story.situations)
    text = f"{situation} {rng.choice(CLOSINGS.get(kind, ('',)))}".format_map(slots).strip()
    # Whoever the complainant names is on record as involved; sometimes a doctor is anyway.
    named = f"RN {nurse}" if "{nurse}" in situation else clinician if "{staff}" in situation else ""
    named = named or (clinician if rng.random() < 0.2 else "")
    place = rng.choice(names.PLACES).format(n=rng.randint(1, 40))
    description = text[0].upper() + text[1:]
    outcome = rng.choice(story.outcomes).format_map(slots)
    location = f"{departments[0]}, {place}" if rng.random() < 0.7 else ""
    return Told(story, departments, description, outcome, location, named, named or clinician)


_BY_KIND = {kind: [story for story in STORIES if story.kind is kind] for kind in CaseKind}
