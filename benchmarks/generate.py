#!/usr/bin/env python3
"""Generate a synthetic goals repository for N staff, for benchmarks and tests.

    python benchmarks/generate.py --staff 20000 --out /tmp/goals-20k
    python benchmarks/generate.py --staff 1500000 --out /tmp/goals-1m5 --force

or from Python: ``generate(Path("/tmp/goals-20k"), 20_000)``.

The organisation is an NHS-like trust: a ``board`` root team holding 4 or 5
True North aims, divisions (about one per 3,500 staff), 5 to 10 directorates
per division, and teams of about 20 staff, each with a lead. Every person has
3 individual objectives; every team 3 to 5 team objectives with an owner,
measures and a due date. Division objectives support the aims, directorate
objectives support their division's, team objectives their directorate's and
individual objectives their own team's. Layout (goals format v1)::

    catchball.yaml  true-north.yaml  org.yaml (org/<division>.yaml when huge)
    people/board.yaml  people/<division>.yaml  people/<division>/<directorate>.yaml
    objectives/board.yaml  objectives/<division>.yaml
    objectives/<division>/<directorate>.yaml
    objectives/<division>/<directorate>/<team>.yaml   # team: default + person objectives

Individual objectives carry an explicit ``person:`` inside a file whose
default is ``team:``; the objective's own ``person`` is meant to win.

With ``measure_data`` (``--measure-data``; format v1.1), the first measure of
every objective that has measures (all team objectives but the unmeasured,
about 40% of individual ones: about half of all objectives) gets an ``id``
and 24 monthly points, 2024-12 to 2026-11, in one CSV file per team::

    data/<division>/<directorate>/<team>.csv   # measure,period,value

The points come from a second random stream, so the YAML is otherwise the
same as without ``measure_data`` and the two can be compared side by side.

Deliberate defects make every rule do real work. Their number scales with
``defect_rate`` (0 gives a clean repository); each is injected exactly as
counted in the returned ``defects`` dict, one defect per element, and
objectives never build on a broken objective (an individual objective never
supports an orphan team objective), so findings do not snowball. Which rule
each kind should trigger is in ``DEFECT_RULES``. Not generated, because they
would make the files invalid YAML or break the org tree for every other
check: CB101, CB105, CB106, CB108 and CB303.

The output is a pure function of (staff, seed, defect_rate): files are
written in a fixed order from one seeded ``random.Random``. Files are written
as they are produced, so memory stays small (the plan of the org tree, about
70 bytes a team) even at 1.5 million staff.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["generate", "DEFECT_RULES", "main"]

ORGANISATION = "Northshire Hospitals NHS Foundation Trust"
PERIOD = "2026/27"
MAX_OBJECTIVES = 5
STAFF_PER_DIVISION = 3500
TEAM_SIZE = 20
MIN_STAFF = 50
# Above this, org.yaml would pass 5 MB; split it per division so no single
# file caps a parallel loader (see NOTES.md on one huge file).
ORG_SPLIT_STAFF = 500_000
# Paths we own inside the output folder; --force clears only these.
OWNED = ("catchball.yaml", "true-north.yaml", "org.yaml", "org", "people", "objectives", "data")
DATA_MONTHS = tuple(f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13))[11:35]  # 2024-12..2026-11

QUARTERS = ("2026-06-30", "2026-09-30", "2026-12-31", "2027-03-31")
YEAR_END = "2027-03-31"
# The day the benchmark judges the calendar rules on (CB405 overdue, CB603 stale data):
# the plan's first quarter, before any due date and with fresh data, as a trust in June
# would see it. Fixed, so the figures do not change with the day they are measured.
AS_OF = "2026-06-01"
AS_OF_EPOCH = "1780272000"  # 2026-06-01T00:00:00Z, for SOURCE_DATE_EPOCH
LATE = {"2026-06-30": "2026-09-30", "2026-09-30": "2026-12-31",
        "2026-12-31": "2027-03-31", "2027-03-31": "2027-06-30", "2027-06-30": "2027-09-30"}
# Due dates an objective may have without being due after a target due on the key.
NOT_AFTER = {due: tuple(d for d in QUARTERS if d <= due) for due in LATE}

# Defect kind -> the finding it should produce in `catchball check`.
DEFECT_RULES = {
    "orphan": "CB201",
    "dangling-support": "CB202 (+CB201: its only link)",
    "support-cycle": "CB203 (one per cycle of 2-3 team objectives)",
    "misaligned": "CB204",
    "supports-dropped": "CB205 (+CB201: its only link)",
    "skip-level": "CB206",
    "uncascaded-aim": "CB301",
    "silent-team": "CB302",
    "over-max-objectives": "CB304",
    "unmeasured": "CB401",
    "unowned": "CB402",
    "due-after-target": "CB403",
    "incomplete-measure": "CB404",
    "challenged": "CB501",
    "proposed": "CB502",
    "dropped": "none (exempt from checks)",
    "unknown-key": "CB103",
    "duplicate-id": "CB104",
    "unknown-owner": "CB107",
    "invalid-status": "CB102",
}

# Share of each pool, as a multiple of defect_rate. With a rate above 0 every
# kind occurs at least once, so small repositories exercise every rule too.
TEAM_DEFECTS = {  # per leaf team
    "silent-team": 0.25, "over-max-objectives": 0.25,
    "support-cycle": 0.125, "duplicate-id": 0.05,
}
TEAM_OBJECTIVE_DEFECTS = {  # per team objective other than a team's first
    "orphan": 0.5, "dangling-support": 0.5, "misaligned": 0.5,
    "skip-level": 0.5, "challenged": 1.0, "proposed": 2.0, "dropped": 1.0,
    "unowned": 1.0, "unmeasured": 1.0, "incomplete-measure": 1.0,
    "due-after-target": 1.0, "unknown-key": 0.5, "unknown-owner": 0.25,
    "invalid-status": 0.25,
}
INDIVIDUAL_DEFECTS = {  # per individual objective of a team member
    "orphan": 0.5, "dangling-support": 0.25, "misaligned": 0.25,
    "skip-level": 0.25, "challenged": 0.5, "proposed": 1.0, "dropped": 0.5,
    "due-after-target": 0.5, "unknown-key": 0.1,
}
UNKNOWN_KEYS = (("rag", "amber"), ("priority", "high"), ("rag", "red"),
                ("descripton", "Agreed at the divisional away day"),
                ("notes", "Carried over from 2025/26"))

# --- vocabulary --------------------------------------------------------------

FIRST = """Aisha Alan Alex Amir Amy Andrew Anna Ben Bethan Callum Carys Chloe
Chris Claire Daniel David Deepa Eleanor Emma Fatima Gareth Grace Hannah Harry
Helen Imran Isaac Jack James Jo Joanne Josh Kate Kemi Laura Liam Lucy Mark
Mary Matt Megan Mohammed Nadia Naomi Neil Nia Oliver Olu Patrick Priya Rachel
Raj Rebecca Rhys Ruth Sam Sarah Sean Sian Sophie Tom Tunde Victoria Zainab
Zoe""".split()
LAST = """Ahmed Ali Allen Atkinson Bailey Baker Begum Bell Brown Campbell Carter
Chen Clarke Collins Cooper Davies Dixon Edwards Evans Fisher Green Griffiths
Hall Harris Hughes Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Khan
King Lee Lewis Martin Mensah Mitchell Moore Morgan Morris Murphy Nowak O'Brien
Okafor Owen Patel Phillips Price Roberts Robinson Rose Shah Singh Smith
Stewart Taylor Thomas Thompson Turner Walker Ward Watson White Williams Wilson
Wood Wright Young""".split()
# Improvement levels in the proportions of a trust a few years into building
# capability (docs/capability.md): most staff none, about 15% foundation, a few
# champions, 2-5% practitioners, under 1% advanced, about 0.1% expert.
# (level, cumulative share of staff), drawn with one random() per person.
LEVELS = (("expert", 0.001), ("advanced", 0.006), ("practitioner", 0.036), ("champion", 0.066),
          ("foundation", 0.216))
# The generated trust's own targets: catchball.yaml's capability block.
CAPABILITY_TARGETS = (("foundation", "20%"), ("practitioner", "5%"), ("advanced", "1%"), ("expert", "0.1%"))
PLACES = """Northfield Eastgate Westbury Southmoor Kingsbridge Ashford Riverside
Highcliffe Oakwood Millbrook Stonehaven Fairview Longmeadow Harbourne Elmstead
Redhill Greenway Lakeside Woodhurst Marshfield Broadstone Cliftonville
Hawthorn Beacon Chalkdown Fernhill Brackley Dunmore Ravensworth Tollgate""".split()

# Unit kinds: (name, code, numbered, lead role, member roles).
WARD = ("Ward", "W", True, "Ward Manager",
        ("Staff Nurse", "Staff Nurse", "Healthcare Assistant", "Healthcare Assistant",
         "Senior Staff Nurse", "Nursing Associate", "Ward Clerk", "Junior Doctor"))
OUTPATIENTS = ("Outpatients", "OP", False, "Outpatient Sister",
               ("Staff Nurse", "Healthcare Assistant", "Receptionist",
                "Booking Coordinator", "Clinical Nurse Specialist"))
THEATRES = ("Theatres", "TH", True, "Theatre Manager",
            ("Scrub Practitioner", "Anaesthetic Practitioner", "Recovery Nurse",
             "Theatre Support Worker", "Operating Department Practitioner"))
DAY_UNIT = ("Day Unit", "DU", False, "Day Unit Manager",
            ("Staff Nurse", "Healthcare Assistant", "Pre-assessment Nurse", "Receptionist"))
MEDICAL = ("Medical Staff", "MS", False, "Clinical Director",
           ("Consultant", "Consultant", "Specialty Doctor", "Registrar",
            "Foundation Doctor", "Physician Associate"))
ADMIN = ("Admin and Booking", "AB", True, "Service Manager",
         ("Medical Secretary", "Booking Coordinator", "Pathway Coordinator",
          "Administrator", "Waiting List Officer"))
NURSES = ("Specialist Nurses", "SN", False, "Lead Nurse",
          ("Clinical Nurse Specialist", "Advanced Nurse Practitioner", "Staff Nurse"))
THERAPY = ("Therapies", "TY", True, "Therapy Lead",
           ("Physiotherapist", "Occupational Therapist", "Therapy Assistant",
            "Speech and Language Therapist", "Dietitian"))
COMMUNITY = ("Neighbourhood Team", "NT", True, "Team Leader",
             ("District Nurse", "Community Staff Nurse", "Healthcare Assistant",
              "Community Physiotherapist", "Care Coordinator"))
SERVICE = ("Service Team", "ST", True, "Team Leader",
           ("Officer", "Senior Officer", "Administrator", "Analyst", "Assistant"))
LAB = ("Laboratory", "LAB", True, "Laboratory Manager",
       ("Biomedical Scientist", "Medical Laboratory Assistant", "Clinical Scientist"))
SITE = ("Site Team", "SITE", True, "Site Supervisor",
        ("Porter", "Domestic Assistant", "Catering Assistant", "Maintenance Technician",
         "Estates Officer"))

INPATIENT = (WARD, WARD, WARD, OUTPATIENTS, MEDICAL, ADMIN, NURSES, THERAPY, DAY_UNIT)
SURGICAL = (WARD, WARD, THEATRES, THEATRES, OUTPATIENTS, MEDICAL, ADMIN, DAY_UNIT, NURSES)
SUPPORT = (LAB, LAB, SERVICE, ADMIN, THERAPY, OUTPATIENTS)
COMMUNITY_UNITS = (COMMUNITY, COMMUNITY, COMMUNITY, THERAPY, NURSES, ADMIN)
CORPORATE = (SERVICE, SERVICE, SERVICE, ADMIN)
ESTATES = (SITE, SITE, SITE, SERVICE)

# Division types: (slug, name, code, units, [(slug, name, code)] directorates).
DIVISION_TYPES = (
    ("surgery", "Surgical Division", "SURG", SURGICAL, (
        ("general-surgery", "General Surgery", "GS"),
        ("trauma-orthopaedics", "Trauma and Orthopaedics", "TO"),
        ("urology", "Urology", "URO"), ("ophthalmology", "Ophthalmology", "OPH"),
        ("ent", "Ear, Nose and Throat", "ENT"),
        ("anaesthetics", "Anaesthetics and Theatres", "ANA"),
        ("critical-care", "Critical Care", "ICU"),
        ("vascular", "Vascular Surgery", "VAS"), ("breast", "Breast Surgery", "BRS"))),
    ("medicine", "Division of Medicine", "MED", INPATIENT, (
        ("respiratory", "Respiratory Medicine", "RES"), ("cardiology", "Cardiology", "CAR"),
        ("gastroenterology", "Gastroenterology", "GAS"),
        ("elderly-care", "Care of the Elderly", "COE"), ("stroke", "Stroke", "STR"),
        ("diabetes", "Diabetes and Endocrinology", "DIA"), ("renal", "Renal Medicine", "REN"),
        ("acute-medicine", "Acute Medicine", "AMU"), ("dermatology", "Dermatology", "DER"))),
    ("women-children", "Women and Children's Division", "WAC", INPATIENT, (
        ("maternity", "Maternity", "MAT"), ("gynaecology", "Gynaecology", "GYN"),
        ("paediatrics", "Paediatrics", "PAE"), ("neonatal", "Neonatal Care", "NEO"),
        ("sexual-health", "Sexual Health", "SXH"))),
    ("clinical-support", "Clinical Support Services", "CSS", SUPPORT, (
        ("radiology", "Radiology", "RAD"), ("pathology", "Pathology", "PAT"),
        ("pharmacy", "Pharmacy", "PHA"), ("therapies", "Therapy Services", "THS"),
        ("outpatient-services", "Outpatient Services", "OPS"),
        ("health-records", "Health Records", "HRC"))),
    ("emergency", "Emergency and Acute Care", "EAC", INPATIENT, (
        ("emergency-department", "Emergency Department", "ED"),
        ("acute-assessment", "Acute Assessment", "AAU"),
        ("same-day-care", "Same Day Emergency Care", "SDEC"),
        ("patient-flow", "Patient Flow", "FLOW"),
        ("urgent-treatment", "Urgent Treatment Centre", "UTC"))),
    ("community", "Community Services", "COM", COMMUNITY_UNITS, (
        ("district-nursing", "District Nursing", "DN"),
        ("community-hospitals", "Community Hospitals", "CH"),
        ("intermediate-care", "Intermediate Care", "IC"),
        ("community-therapy", "Community Therapy", "CT"),
        ("health-visiting", "Health Visiting", "HV"), ("podiatry", "Podiatry", "POD"))),
    ("cancer", "Cancer Services", "CAN", INPATIENT, (
        ("oncology", "Oncology", "ONC"), ("haematology", "Haematology", "HAE"),
        ("chemotherapy", "Chemotherapy Day Unit", "CDU"),
        ("radiotherapy", "Radiotherapy", "RTX"), ("palliative-care", "Palliative Care", "PAL"))),
    ("mental-health", "Mental Health Services", "MH", COMMUNITY_UNITS, (
        ("adult-inpatient", "Adult Inpatient Services", "AIS"),
        ("crisis", "Crisis and Home Treatment", "CHT"),
        ("community-mental-health", "Community Mental Health", "CMH"),
        ("liaison-psychiatry", "Liaison Psychiatry", "LP"),
        ("older-adults", "Older Adults Mental Health", "OAM"))),
    ("estates", "Estates and Facilities", "EF", ESTATES, (
        ("estates-maintenance", "Estates Maintenance", "EM"),
        ("hotel-services", "Hotel Services", "HS"), ("portering", "Portering", "POR"),
        ("capital-projects", "Capital Projects", "CP"),
        ("sustainability", "Sustainability", "SUS"))),
    ("corporate", "Corporate Services", "CORP", CORPORATE, (
        ("finance", "Finance", "FIN"), ("people-services", "People Services", "HR"),
        ("digital", "Digital Services", "DIG"), ("governance", "Quality and Governance", "GOV"),
        ("procurement", "Procurement", "PRO"), ("communications", "Communications", "COMMS"))),
)

BOARD_ROLES = ("Chief Executive", "Chief Nurse", "Medical Director",
               "Chief Operating Officer", "Director of Finance", "Director of People",
               "Director of Strategy", "Chief Digital Officer")
DIVISION_ROLES = ("Divisional Director", "Divisional Director of Nursing",
                  "Divisional Clinical Director")
DIRECTORATE_ROLES = ("Directorate Manager", "Clinical Lead")


@dataclass(frozen=True)
class Theme:
    """One True North aim and the words objectives under it are made of.

    Strategic and team titles are (template, i): measures[i] is the measure
    that goes with the title, so an objective's measure fits its words.
    """

    aim: str
    title: str
    dimension: str
    owner_role: int  # index into BOARD_ROLES
    description: str
    aim_measures: tuple  # (name, unit, baseline, target, by, direction)
    strategic: tuple  # division and directorate objectives, {area}
    team: tuple  # team objectives, {unit}
    individual: tuple  # (individual objective title with {unit}, its own measure)
    measures: tuple  # (name, unit, low, high, target, direction); target None: a cut
    why: tuple  # descriptions of team objectives


THEMES = (
    Theme("TN-SAFE", "Zero avoidable harm to patients", "safe", 1,
          "Every patient leaves us no worse than the illness that brought them in.",
          (("Falls with harm per 1,000 occupied bed days", "per 1,000 bed days", 0.19, 0.11,
            "2029-03-31", "down"),
           ("Sepsis patients treated with antibiotics within one hour", "%", 68, 95,
            "2028-03-31", "up")),
          (("Reduce falls with harm across {area} by {pct}%", 0),
           ("Screen {hi}% of eligible patients for sepsis within one hour across {area}", 1),
           ("Halve category 2 pressure ulcers acquired in {area}", 2),
           ("Cut medication administration errors in {area} by {pct}%", 4),
           ("Complete VTE risk assessment for {hi}% of admissions in {area}", 5),
           ("Escalate every NEWS2 score of 5 or more within 30 minutes across {area}", 1)),
          (("Cut inpatient falls in {unit} by {pct}% with daily safety huddles", 0),
           ("Screen {hi}% of deteriorating patients in {unit} for sepsis within one hour", 1),
           ("Reduce hospital-acquired pressure ulcers in {unit} by {pct}%", 2),
           ("Reach {hi}% hand hygiene compliance in {unit}", 3),
           ("Halve missed doses of critical medicines in {unit}", 4),
           ("Complete VTE assessment within 14 hours for {hi}% of patients in {unit}", 5)),
          (("Complete a falls risk assessment for every patient I admit",
            ("Admissions with a falls risk assessment", "%", 60, 85, 100, "up")),
           ("Audit ten sets of notes a month for sepsis screening",
            ("Notes audited for sepsis screening", "sets a month", 0, 4, 10, "up")),
           ("Lead the weekly safety huddle in {unit}",
            ("Safety huddles led", "huddles a quarter", 2, 6, 12, "up")),
           ("Complete the deteriorating patient e-learning module by June",
            ("Deteriorating patient module completed", "%", 0, 40, 100, "up")),
           ("Carry out monthly hand hygiene observations in {unit}",
            ("Hand hygiene observations completed", "a quarter", 0, 2, 3, "up")),
           ("Check skin integrity at every intentional rounding on my shifts",
            ("Roundings with a skin check recorded", "%", 60, 85, 100, "up")),
           ("Run a PDSA cycle on lying and standing blood pressure checks",
            ("Patients over 65 with lying and standing blood pressure", "%", 20, 50, 90, "up")),
           ("Double-check every controlled drug administration on my shifts",
            ("Controlled drug entries with two signatures", "%", 85, 97, 100, "up"))),
          (("Inpatient falls with harm", "falls a quarter", 4, 12, None, "down"),
           ("Sepsis screening within one hour", "%", 55, 80, 95, "up"),
           ("Hospital-acquired pressure ulcers", "per month", 3, 9, None, "down"),
           ("Hand hygiene compliance", "%", 70, 88, 98, "up"),
           ("Missed critical medicine doses", "per 1,000 doses", 8, 20, None, "down"),
           ("VTE risk assessment within 14 hours", "%", 70, 90, 95, "up")),
          ("Falls and late sepsis screening were the top incident themes here last year.",
           "The safety cross showed harm clustering on night shifts and at weekends.",
           "Our last two serious incidents both involved a missed escalation.")),
    Theme("TN-FLOW", "No one waits longer than they need to", "timely", 3,
          "Patients get the right care in the right place without waiting.",
          (("Emergency patients seen within four hours", "%", 71, 95, "2029-03-31", "up"),
           ("Patients waiting over 52 weeks for treatment", "patients", 1840, 0,
            "2028-03-31", "down")),
          (("Discharge {pct}% of patients before noon across {area}", 0),
           ("Cut average length of stay in {area} by half a day", 1),
           ("Treat {hi}% of patients within 18 weeks of referral in {area}", 6),
           ("Eliminate waits over 52 weeks in {area}", 7),
           ("Bring outpatient did-not-attend rates in {area} below 6%", 2),
           ("Start {hi}% of planned procedures in {area} on the booked day", 3)),
          (("Discharge {pct}% of patients from {unit} before noon", 0),
           ("Use the discharge lounge for {pct}% of discharges from {unit}", 9),
           ("Cut the did-not-attend rate in {unit} to 6%", 2),
           ("Start {hi}% of lists in {unit} on time", 3),
           ("Send clinic letters from {unit} within 7 days", 4),
           ("Reduce delayed transfers of care from {unit} by {pct}%", 5),
           ("Book follow-up appointments in {unit} within two weeks of clinic", 8)),
          (("Set an estimated discharge date at every board round",
            ("Patients with an estimated discharge date", "%", 50, 80, 100, "up")),
           ("Order take-home medicines the day before discharge",
            ("Take-home medicines ordered the day before", "%", 20, 50, 80, "up")),
           ("Call patients two days before their clinic to confirm attendance",
            ("Patients called before clinic", "%", 30, 60, 95, "up")),
           ("Prepare the next day's list by 4pm",
            ("Lists ready by 4pm", "%", 50, 80, 95, "up")),
           ("Chase outstanding discharge summaries every morning",
            ("Discharge summaries sent within 24 hours", "%", 60, 85, 95, "up")),
           ("Attend the daily bed meeting for {unit}",
            ("Bed meetings attended", "%", 50, 80, 95, "up")),
           ("Validate the waiting list for my clinics every month",
            ("Waiting list entries validated", "%", 40, 75, 100, "up"))),
          (("Discharges before noon", "%", 12, 22, 35, "up"),
           ("Average length of stay", "days", 5.2, 8.4, None, "down"),
           ("Outpatient did-not-attend rate", "%", 8, 12, 6, "down"),
           ("Lists starting on time", "%", 45, 70, 85, "up"),
           ("Clinic letters sent within 7 days", "%", 50, 75, 90, "up"),
           ("Delayed transfers of care", "patients a week", 6, 20, None, "down"),
           ("Patients treated within 18 weeks of referral", "%", 60, 78, 92, "up"),
           ("Patients waiting over 52 weeks", "patients", 20, 200, 0, "down"),
           ("Follow-ups booked within two weeks of clinic", "%", 55, 75, 90, "up"),
           ("Discharges through the discharge lounge", "%", 10, 25, 40, "up")),
          ("Most discharges happen after 4pm, so the emergency department queues by evening.",
           "Patients medically fit for discharge wait on average a day and a half to leave.",
           "One clinic slot in nine is lost to a patient who did not attend.")),
    Theme("TN-PEOPLE", "The best place to work in the NHS", "people", 5,
          "Staff are well led, safe, and want to stay.",
          (("Staff who would recommend us as a place to work", "%", 58, 75,
            "2029-03-31", "up"),
           ("Sickness absence rate", "%", 5.6, 4.0, "2028-03-31", "down")),
          (("Bring sickness absence in {area} below 4.5%", 0),
           ("Cut the vacancy rate in {area} to 6%", 4),
           ("Give every member of staff in {area} an appraisal this year", 2),
           ("Raise staff survey engagement in {area} by {pct}%", 6),
           ("Fill {hi}% of rota gaps in {area} six weeks ahead", 1)),
          (("Cut sickness absence in {unit} to 4.5%", 0),
           ("Fill {hi}% of rota gaps in {unit} six weeks ahead", 1),
           ("Complete appraisals for every member of {unit}", 2),
           ("Reach {hi}% mandatory training compliance in {unit}", 3),
           ("Hold a monthly listening event for {unit}", 7),
           ("Retain {hi}% of newly qualified staff in {unit} after a year", 5),
           ("Publish the {unit} rota eight weeks ahead", 8)),
          (("Complete my appraisal and personal development plan by September",
            ("Development plan actions completed", "actions", 0, 2, 5, "up")),
           ("Complete all mandatory training modules",
            ("Mandatory training modules in date", "%", 60, 90, 100, "up")),
           ("Hold return-to-work conversations within 48 hours",
            ("Return-to-work conversations within 48 hours", "%", 40, 75, 100, "up")),
           ("Mentor a newly qualified colleague in {unit}",
            ("Mentoring sessions held", "sessions a quarter", 0, 2, 6, "up")),
           ("Attend Improvement Practitioner training",
            ("Improvement training days attended", "days", 0, 1, 5, "up")),
           ("Take part in the staff survey and the {unit} listening event",
            ("Listening events attended", "events", 0, 1, 4, "up")),
           ("Hold a health and wellbeing conversation with each person I supervise",
            ("Wellbeing conversations held", "%", 10, 50, 100, "up"))),
          (("Sickness absence rate", "%", 5.0, 7.5, 4.5, "down"),
           ("Rota gaps filled six weeks ahead", "%", 50, 75, 90, "up"),
           ("Appraisal completion", "%", 60, 85, 95, "up"),
           ("Mandatory training compliance", "%", 70, 88, 95, "up"),
           ("Vacancy rate", "%", 8, 14, 6, "down"),
           ("First-year retention of new starters", "%", 70, 82, 90, "up"),
           ("Staff survey engagement score", "score out of 10", 6.2, 6.9, 7.2, "up"),
           ("Listening events held", "events a year", 0, 4, 12, "up"),
           ("Rotas published eight weeks ahead", "%", 30, 60, 100, "up")),
          ("Sickness absence and late rota changes were the top themes in exit interviews.",
           "The staff survey put us in the bottom fifth for feeling valued.",
           "A quarter of newly qualified staff leave within their first year.")),
    Theme("TN-CARE", "Care we would want for our own families", "person-centred", 1,
          "Patients and carers are listened to and involved in every decision.",
          (("Friends and Family Test positive responses", "%", 89, 95, "2029-03-31", "up"),
           ("Complaints answered within 25 working days", "%", 62, 90, "2028-03-31", "up")),
          (("Answer {hi}% of complaints in {area} within 25 working days", 0),
           ("Raise the Friends and Family Test score in {area} to {hi}%", 1),
           ("Offer interpreter support at every appointment in {area}", 4),
           ("Involve carers in discharge planning for every patient in {area}", 3),
           ("Close the gap in missed appointments for patients from deprived areas", 5)),
          (("Answer complaints about {unit} within 25 working days", 0),
           ("Raise the Friends and Family Test score in {unit} to {hi}%", 1),
           ("Give every patient of {unit} a named nurse or key worker", 2),
           ("Involve carers in {pct}% of discharge plans from {unit}", 3),
           ("Offer open visiting every day in {unit}", 6),
           ("Act on one 'You said, we did' theme each month in {unit}", 7)),
          (("Introduce myself with 'Hello, my name is' to every patient",
            ("Patients who knew my name at the bedside audit", "%", 50, 80, 100, "up")),
           ("Ask every patient what matters to them",
            ("Care plans recording what matters to the patient", "%", 20, 60, 90, "up")),
           ("Complete the dementia awareness module",
            ("Dementia awareness module completed", "%", 0, 50, 100, "up")),
           ("Respond to concerns raised on my shift the same day",
            ("Concerns answered the same day", "%", 50, 80, 100, "up")),
           ("Learn key phrases in the two most spoken community languages",
            ("Language sessions completed", "sessions", 0, 2, 8, "up")),
           ("Collect five patient stories for the {unit} team",
            ("Patient stories collected", "stories", 0, 1, 5, "up"))),
          (("Complaints answered within 25 working days", "%", 50, 75, 90, "up"),
           ("Friends and Family Test positive", "%", 85, 92, 96, "up"),
           ("Patients with a named nurse or key worker", "%", 70, 90, 100, "up"),
           ("Discharge plans involving carers", "%", 30, 60, 80, "up"),
           ("Appointments with an interpreter when needed", "%", 60, 85, 100, "up"),
           ("Did-not-attend gap, most against least deprived areas", "percentage points",
            3.0, 6.0, None, "down"),
           ("Days a week with open visiting", "days", 2, 4, 7, "up"),
           ("'You said, we did' actions completed", "actions a quarter", 0, 2, 3, "up")),
          ("Communication is the theme of half of the complaints we receive.",
           "Carers told us they hear about discharge on the day it happens.",
           "Patients from our most deprived postcodes miss twice as many appointments.")),
    Theme("TN-VALUE", "Every pound spent on patient care", "value", 4,
          "We live within our means and waste nothing that could fund care.",
          (("Agency spend", "£m a year", 24.0, 8.0, "2029-03-31", "down"),
           ("Theatre session utilisation", "%", 76, 90, "2028-03-31", "up")),
          (("Cut agency spend in {area} by {pct}%", 0),
           ("Use {hi}% of planned theatre session time in {area}", 3),
           ("Deliver the {area} cost improvement plan in full", 5),
           ("Reduce medicines waste in {area} by {pct}%", 2),
           ("Cut bank and overtime spend in {area} by {pct}%", 1)),
          (("Cut agency shifts in {unit} by {pct}%", 0),
           ("Reduce bank spend in {unit} by {pct}%", 1),
           ("Cut drug and stock waste in {unit} by {pct}%", 2),
           ("Use {hi}% of booked session time in {unit}", 3),
           ("Switch {unit} to reusable equipment where it is safe", 6),
           ("Stop ordering stock that {unit} does not use", 4)),
          (("Book bank shifts through e-rostering only",
            ("Bank shifts booked through e-rostering", "%", 60, 85, 100, "up")),
           ("Check stock levels before every order",
            ("Orders checked against stock", "%", 40, 70, 100, "up")),
           ("Return unused medicines to pharmacy each week",
            ("Weeks with unused medicines returned", "%", 30, 60, 100, "up")),
           ("Suggest one waste-reduction idea each quarter",
            ("Waste-reduction ideas suggested", "ideas", 0, 1, 4, "up")),
           ("Review overtime requests against the rota every week",
            ("Overtime hours", "hours a month", 20, 60, None, "down")),
           ("Switch off equipment at the end of every session",
            ("Sessions ending with equipment switched off", "%", 40, 70, 95, "up"))),
          (("Agency spend", "£k a month", 20, 120, None, "down"),
           ("Bank spend", "£k a month", 15, 80, None, "down"),
           ("Medicines and stock waste", "£k a quarter", 5, 30, None, "down"),
           ("Session utilisation", "%", 70, 82, 90, "up"),
           ("Stock write-offs", "£k a year", 5, 25, None, "down"),
           ("Cost improvement plan delivered", "%", 40, 70, 100, "up"),
           ("Single-use items bought", "£k a quarter", 10, 40, None, "down")),
          ("Agency shifts cost us twice what a substantive shift does.",
           "A fifth of the stock we order expires on the shelf.",
           "Late starts and early finishes lose an hour from most sessions.")),
)
EVIDENCE = (
    "Evidence: audit results shared at the monthly team meeting.",
    "Agreed at my appraisal; reviewed at one-to-ones every month.",
    "Progress shows on the ward quality dashboard.",
    "Reviewed at the weekly huddle against the team objective.",
    "Done when the quarterly audit shows no gaps.",
    "My manager and I check progress at each supervision.",
    "Success is the measure moving for three months running.",
    "Shared with the practice educator for my revalidation portfolio.",
)
PERCENTS = (10, 15, 20, 25, 30, 40, 50)
HIGHS = (85, 90, 92, 95, 98)

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.'()&/%+£-]*")
_RESERVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


@functools.lru_cache(maxsize=1 << 16)
def q(text: str) -> str:
    """Write text as a YAML scalar: plain when that reads back as the same string."""
    if _PLAIN.fullmatch(text) and text[-1] != " " and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML double-quoted


def num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


# --- plan --------------------------------------------------------------------

@dataclass
class Team:
    id: str
    slug: str
    name: str
    code: str
    unit: tuple
    size: int  # people, lead included
    objectives: int = 0  # team objectives
    flag: str = ""  # a TEAM_DEFECTS kind or ""


@dataclass
class Directorate:
    id: str
    slug: str
    name: str
    code: str
    size: int  # people, senior staff and teams
    teams: list = field(default_factory=list)


@dataclass
class Division:
    id: str
    name: str
    code: str
    size: int
    directorates: list = field(default_factory=list)


def _split(total: int, parts: int, rng: random.Random, spread: float) -> list:
    """Split total into parts positive integers, each within about ±spread of the mean."""
    weights = [1 + spread * (2 * rng.random() - 1) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    i = 0
    while sum(sizes) < total:
        sizes[i % parts] += 1
        i += 1
    while sum(sizes) > total:
        if sizes[i % parts] > 1:
            sizes[i % parts] -= 1
        i += 1
    return sizes


def _plan(staff: int, rng: random.Random) -> list:
    """The org tree with sizes and names, no people or objectives yet."""
    rest = staff - len(BOARD_ROLES)
    n_div = max(1, round(rest / STAFF_PER_DIVISION))
    divisions = []
    for d, div_size in enumerate(_split(rest, n_div, rng, 0.35)):
        kind = DIVISION_TYPES[d % len(DIVISION_TYPES)]
        rep = d // len(DIVISION_TYPES)
        slug, name, code, units, specialties = kind
        if rep:
            place = PLACES[(rep - 1) % len(PLACES)]
            if rep > len(PLACES):
                place += f" {(rep - 1) // len(PLACES) + 1}"
            slug, name, code = f"{slug}-{rep + 1}", f"{name}, {place}", f"{code}{rep + 1}"
        div = Division(slug, name, code, div_size)
        divisions.append(div)
        body = div_size - len(DIVISION_ROLES)
        n_dir = max(1, min(rng.randint(5, 10), body // 40))
        for s, dir_size in enumerate(_split(body, n_dir, rng, 0.3)):
            sslug, sname, scode = specialties[s % len(specialties)]
            if s >= len(specialties):
                n = s // len(specialties) + 1
                sslug, sname, scode = f"{sslug}-{n}", f"{sname} {n}", f"{scode}{n}"
            directorate = Directorate(f"{slug}-{sslug}", sslug, sname, f"{code}-{scode}",
                                      dir_size)
            div.directorates.append(directorate)
            members = dir_size - len(DIRECTORATE_ROLES)
            n_teams = max(1, round(members / TEAM_SIZE))
            seen: dict = {}
            for t, size in enumerate(_split(members, n_teams, rng, 0.3)):
                unit = units[rng.randrange(len(units))]
                uname, ucode, numbered = unit[0], unit[1], unit[2]
                n = seen[ucode] = seen.get(ucode, 0) + 1
                tname = f"{sname} {uname}" + (f" {n}" if numbered or n > 1 else "")
                tslug = uname.lower().replace(" ", "-") + (f"-{n}" if numbered or n > 1 else "")
                tcode = ucode + (str(n) if numbered or n > 1 else "")
                directorate.teams.append(
                    Team(f"{directorate.id}-{tslug}", tslug, tname,
                         f"{directorate.code}-{tcode}", unit, size))
    return divisions


def _quota(pool: int, weights: dict, rate: float) -> dict:
    counts = {}
    for kind, weight in weights.items():
        n = int(pool * weight * rate + 0.5)
        counts[kind] = max(n, 1) if rate > 0 and pool else n
    total = sum(counts.values())
    if total > pool:  # only for tiny pools at absurd rates
        for kind in counts:
            counts[kind] = counts[kind] * pool // total
    return counts


class Sampler:
    """Hands out exactly counts[kind] defects over a pool of known size, in one pass.

    Each call is one pool element; the chance of each kind is its remaining
    quota over the remaining elements, so the quotas are met exactly with no
    list of chosen elements kept in memory.
    """

    def __init__(self, pool: int, counts: dict, rng: random.Random):
        self.left = pool
        self.kinds = [k for k, n in counts.items() if n]
        self.quota = [counts[k] for k in self.kinds]
        self.total = sum(self.quota)
        self.rng = rng

    def draw(self) -> str:
        left = self.left
        self.left = left - 1
        if not self.total:
            return ""
        r = self.rng.random() * left
        if r >= self.total:
            return ""
        for i, n in enumerate(self.quota):
            if r < n:
                self.quota[i] -= 1
                self.total -= 1
                return self.kinds[i]
            r -= n
        return ""  # pragma: no cover - float edge


# --- writing -----------------------------------------------------------------

class Writer:
    """Writes files below the goals root and counts them."""

    def __init__(self, root: Path):
        self.root = root
        self.files = 0
        self.bytes = 0
        self._dirs: set = set()

    def write(self, rel: str, parts: list) -> None:
        path = self.root / rel
        parent = path.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        data = "".join(parts).encode()
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)


class Generator:
    """One run: plans the org, then writes it division by division."""

    def __init__(self, root: Path, staff: int, seed: int, rate: float, measure_data: bool = False):
        self.rng = random.Random(seed)
        self.measure_data = measure_data
        self.data_rng = random.Random(seed + 1_000_003)  # its own stream: the YAML does not change
        self.data_rows: list[str] = []  # the current team's CSV rows
        self.data_file = ""  # the current team's CSV, relative to the goals root
        self.data_measures = 0
        self.random = self.rng.random
        self.out = Writer(root)
        self.staff = staff
        self.rate = rate
        self.width = max(5, len(str(staff)))
        self.next_person = 0
        self.people = 0
        self.team_objectives = 0
        self.individual_objectives = 0
        self.teams = 0
        self.defects = dict.fromkeys(DEFECT_RULES, 0)

    # -- helpers
    def choice(self, seq):
        # random() is C code; randrange() costs several Python calls per pick.
        return seq[int(self.random() * len(seq))]

    def person(self) -> str:
        self.next_person += 1
        return f"p{self.next_person:0{self.width}d}"

    def person_entry(self, pid: str, team: str, role: str) -> str:
        rng = self.rng
        name = q(f"{self.choice(FIRST)} {self.choice(LAST)}")
        level = ""
        draw = rng.random()
        for name_of_level, share in LEVELS:
            if draw < share:
                level = f"\n    improvement-level: {name_of_level}"
                break
        self.people += 1
        return f"  - id: {pid}\n    name: {name}\n    team: {team}\n    role: {q(role)}{level}\n"

    def fill(self, template: str, **names: str) -> str:
        return template.format(pct=self.choice(PERCENTS), hi=self.choice(HIGHS), **names)

    def pick(self, pairs: tuple, **names: str) -> tuple:
        """A title from (template, measure) pairs, filled in, and its measure."""
        template, measure = self.choice(pairs)
        return self.fill(template, **names), measure

    def measures(self, measures: list, due: str, incomplete: bool = False, data_id: str = "") -> str:
        """A measures list; baselines drawn between low and high.

        With `data_id` (and measure data on), the first measure gets that id
        and its 24 points go to the current team's CSV file.
        """
        rng = self.rng
        out = ["    measures:\n"]
        for index, (name, unit, low, high, target, direction) in enumerate(measures):
            base = low + (high - low) * rng.random()
            whole = isinstance(low, int) and isinstance(high, int)
            base = round(base) if whole else round(base, 1)
            if target is None:  # a cut of 10% to 50%
                cut = base * (1 - self.choice(PERCENTS) / 100)
                target = min(round(cut), base - 1) if whole else round(cut, 1)
            baseline = "" if incomplete else f"        baseline: {num(base)}\n"
            data = ""
            if index == 0 and data_id and self.measure_data and self.data_file:
                data = f"        data: {self.data_file}\n"
                out.append(f"      - id: {data_id}\n")
                self.data_series(data_id, base, target)
            dash = "        " if data else "      - "
            out.append(f"{dash}name: {q(name)}\n        unit: {q(unit)}\n{baseline}"
                       f"        target: {num(target)}\n        by: {due}\n"
                       f"        direction: {direction}\n{data}")
        return "".join(out)

    def data_series(self, measure_id: str, baseline: float, target: float) -> None:
        """24 monthly points for the current team's CSV: from the baseline part of the way
        to the target (none, some or all of it), with everyday variation around the path."""
        rng, rows = self.data_rng, self.data_rows
        gauss, gap = rng.gauss, target - baseline
        reach = rng.choice((0.0, 0.3, 0.6, 1.0))
        spread = abs(gap) * 0.4 + abs(baseline) * 0.01 + 0.01
        last = len(DATA_MONTHS) - 1
        for i, period in enumerate(DATA_MONTHS):
            level = baseline + gap * reach * i / last
            rows.append(f"{measure_id},{period},{round(level + gauss(0, spread), 2)}\n")
        self.data_measures += 1

    def objective(self, oid: str, title: str, supports: list, owner: str | None,
                  due: str, status: str, theme: Theme, measure: int, n_measures: int = 1,
                  extra: str = "", incomplete: bool = False, description: str = "") -> str:
        """A team objective (division, directorate or team) as YAML text."""
        parts = [f"  - id: {oid}\n    title: {q(title)}\n"]
        if description:
            parts.append(f"    description: {q(description)}\n")
        if supports:
            parts.append(f"    supports: [{', '.join(supports)}]\n")
        if owner:
            parts.append(f"    owner: {owner}\n")
        parts.append(f"    due: {due}\n    status: {status}\n")
        if n_measures:
            chosen = [theme.measures[measure]]
            if n_measures > 1:
                other = self.rng.randrange(len(theme.measures) - 1)
                chosen.append(theme.measures[other + (other >= measure)])
            parts.append(self.measures(chosen, due, incomplete, data_id=f"m-{oid}"))
        parts.append(extra)
        return "".join(parts)

    def individual(self, oid: str, pid: str, theme: Theme, unit: str, supports: list,
                   due: str, status: str = "agreed", extra: str = "", data: bool = True) -> str:
        """An individual objective as YAML text; some carry a description and a measure."""
        self.individual_objectives += 1
        rng = self.rng
        template, measure = self.choice(theme.individual)
        title = self.fill(template, unit=unit)
        sup = f"    supports: [{', '.join(supports)}]\n" if supports else ""
        why = ""
        if rng.random() < 0.7:
            why = f"    description: {q(self.choice(EVIDENCE))}\n"
        # a duplicated objective (left out of checks) gets no data: its rows would name an id no measure keeps
        data_id = f"m-{oid}" if data else ""
        measures = self.measures([measure], due, data_id=data_id) if rng.random() < 0.4 else ""
        return (f"  - id: {oid}\n    person: {pid}\n    title: {q(title)}\n{why}{sup}"
                f"    due: {due}\n    status: {status}\n{measures}{extra}")

    def unknown_key(self) -> str:
        key, value = self.choice(UNKNOWN_KEYS)
        return f"    {key}: {q(value)}\n"

    def senior_objectives(self, people: list, targets: list, unit: str) -> list:
        """Objectives of board, division and directorate staff: clean, own level."""
        out = []
        for p, pid in enumerate(people):
            for k in range(1, 4):
                oid, theme = targets[(p * 3 + k) % len(targets)]
                out.append(self.individual(f"P-{pid[1:]}-{k}", pid, theme, unit, [oid],
                                           YEAR_END))
        return out

    # -- the repository
    def run(self) -> dict:
        """Write the whole repository; return the counts (see generate())."""
        rng = self.rng
        divisions = _plan(self.staff, rng)
        leaf = [t for div in divisions for d in div.directorates for t in d.teams]
        directorates = [d for div in divisions for d in div.directorates]
        self.teams = 1 + len(divisions) + len(directorates) + len(leaf)

        # Team-level defects go to distinct teams.
        team_counts = _quota(len(leaf), TEAM_DEFECTS, self.rate)
        chosen = iter(rng.sample(range(len(leaf)), min(len(leaf), sum(team_counts.values()))))
        for kind, n in team_counts.items():
            for _ in range(n):
                i = next(chosen, None)
                if i is not None:
                    leaf[i].flag = kind
                    self.defects[kind] += 1
        team_pool = indiv_pool = 0
        for t in leaf:
            if t.flag == "over-max-objectives":
                t.objectives = MAX_OBJECTIVES + rng.randint(1, 2)
            elif t.flag != "silent-team":
                t.objectives = rng.randint(3, 5)
            if t.flag != "silent-team":
                indiv_pool += 3 * t.size
            if not t.flag or t.flag == "duplicate-id":
                # Cycle and over-max teams stay clean so that their one rule fires alone.
                team_pool += t.objectives - 1
        self.team_sampler = Sampler(team_pool, _quota(team_pool, TEAM_OBJECTIVE_DEFECTS,
                                                      self.rate), rng)
        self.indiv_sampler = Sampler(indiv_pool, _quota(indiv_pool, INDIVIDUAL_DEFECTS,
                                                        self.rate), rng)
        # A misaligned link goes to a cousin: the first objective of a team in
        # the previous directorate (the next one, for the first).
        self.cousin = {}
        for i, d in enumerate(directorates):
            other = directorates[i - 1] if i else directorates[min(1, len(directorates) - 1)]
            if other is d:  # a single directorate: a sibling team will do
                targets = [t for t in d.teams if t.flag != "silent-team"]
                self.cousin[d.id] = [f"{t.code}-1" for t in targets]
            else:
                live = [t for t in other.teams if t.flag != "silent-team"]
                self.cousin[d.id] = [f"{live[0].code}-1"] if live else [f"{other.code}-1"]

        n_aims = rng.randint(4, 5)
        themes = THEMES[:n_aims]
        # The last aim is the uncascaded one: no objective supports it.
        cascaded = themes[:-1] if self.rate > 0 else themes
        if self.rate > 0:
            self.defects["uncascaded-aim"] = 1

        self.write_settings()
        self.write_aims(themes)
        board_people = [self.person() for _ in BOARD_ROLES]
        split_org = self.staff >= ORG_SPLIT_STAFF
        org = ["teams:\n", f"  - id: board\n    name: Trust Board\n"
               f"    lead: {board_people[0]}\n    headcount: {self.staff}\n"]
        self.out.write("people/board.yaml", ["people:\n"] + [
            self.person_entry(pid, "board", role)
            for pid, role in zip(board_people, BOARD_ROLES)])
        self.out.write("objectives/board.yaml", ["team: board\nobjectives:\n"] +
                       self.senior_objectives(board_people, [(t.aim, t) for t in cascaded],
                                              "the Trust"))
        d_index = 0
        for v, div in enumerate(divisions):
            div_org = org if not split_org else ["teams:\n"]
            d_index = self.write_division(div, v, cascaded, div_org, d_index)
            if split_org:
                self.out.write(f"org/{div.id}.yaml", div_org)
        self.out.write("org.yaml", org)
        return {
            "files": self.out.files, "bytes": self.out.bytes,
            "mb": round(self.out.bytes / 1e6, 1), "teams": self.teams,
            "people": self.people, "aims": n_aims,
            "objectives": self.team_objectives + self.individual_objectives,
            "team_objectives": self.team_objectives,
            "individual_objectives": self.individual_objectives,
            "defects": self.defects,
        }

    def write_settings(self) -> None:
        self.out.write("catchball.yaml", [
            f"organisation: {q(ORGANISATION)}\nperiod: {PERIOD}\nrules:\n"
            f"  max-aims: 5\n  max-objectives: {MAX_OBJECTIVES}\n"
            "capability:\n  targets:\n" + "".join(f"    {level}: {share}\n" for level, share in CAPABILITY_TARGETS)])

    def write_aims(self, themes: tuple) -> None:
        parts = ["aims:\n"]
        for t in themes:
            parts.append(f"  - id: {t.aim}\n    title: {q(t.title)}\n"
                         f"    dimension: {t.dimension}\n"
                         f"    owner: p{t.owner_role + 1:0{self.width}d}\n"
                         f"    description: {q(t.description)}\n"
                         "    status: active\n    measures:\n")
            for name, unit, base, target, by, direction in t.aim_measures:
                parts.append(f"      - name: {q(name)}\n        unit: {q(unit)}\n"
                             f"        baseline: {num(base)}\n        target: {num(target)}\n"
                             f"        by: {by}\n        direction: {direction}\n")
        self.out.write("true-north.yaml", parts)

    def write_division(self, div: Division, v: int, cascaded: tuple, org: list,
                       d_index: int) -> int:
        rng = self.rng
        seniors = [self.person() for _ in DIVISION_ROLES]
        org.append(f"  - id: {div.id}\n    name: {q(div.name)}\n    parent: board\n"
                   f"    lead: {seniors[0]}\n    headcount: {div.size}\n")
        self.out.write(f"people/{div.id}.yaml", ["people:\n"] + [
            self.person_entry(pid, div.id, role)
            for pid, role in zip(seniors, DIVISION_ROLES)])
        area = "the " + div.name.split(",")[0]
        objectives = []
        parts = [f"team: {div.id}\nobjectives:\n"]
        for k in range(1, rng.randint(3, 5) + 1):
            theme = cascaded[(v + k) % len(cascaded)]
            oid = f"{div.code}-{k}"
            objectives.append((oid, theme))
            title, measure = self.pick(theme.strategic, area=area)
            aim = theme.title[0].lower() + theme.title[1:]
            parts.append(self.objective(
                oid, title, [theme.aim], self.choice(seniors), YEAR_END,
                "agreed", theme, measure, 2,
                description=f"The {div.name} contribution to {aim}."))
            self.team_objectives += 1
        parts += self.senior_objectives(seniors, objectives, area)
        self.out.write(f"objectives/{div.id}.yaml", parts)
        for d in div.directorates:
            self.write_directorate(div, d, objectives, org, d_index)
            d_index += 1
        return d_index

    def write_directorate(self, div: Division, d: Directorate, div_objectives: list,
                          org: list, d_index: int) -> None:
        rng = self.rng
        seniors = [self.person() for _ in DIRECTORATE_ROLES]
        org.append(f"  - id: {d.id}\n    name: {q(d.name)}\n    parent: {div.id}\n"
                   f"    lead: {seniors[0]}\n    headcount: {d.size}\n")
        people = ["people:\n"] + [self.person_entry(pid, d.id, role)
                                  for pid, role in zip(seniors, DIRECTORATE_ROLES)]
        objectives = []
        parts = [f"team: {d.id}\nobjectives:\n"]
        for k in range(1, rng.randint(3, 5) + 1):
            target, theme = div_objectives[(d_index + k) % len(div_objectives)]
            oid = f"{d.code}-{k}"
            objectives.append((oid, theme))
            title, measure = self.pick(theme.strategic, area=d.name)
            parts.append(self.objective(
                oid, title, [target], self.choice(seniors), YEAR_END,
                "agreed", theme, measure, rng.randint(1, 2),
                description=self.choice(theme.why)))
            self.team_objectives += 1
        parts += self.senior_objectives(seniors, objectives, d.name)
        self.out.write(f"objectives/{div.id}/{d.slug}.yaml", parts)
        for t in d.teams:
            members = [self.person() for _ in range(t.size)]
            org.append(f"  - id: {t.id}\n    name: {q(t.name)}\n    parent: {d.id}\n"
                       f"    lead: {members[0]}\n    headcount: {t.size}\n")
            lead_role, roles = t.unit[3], t.unit[4]
            people.append(self.person_entry(members[0], t.id, lead_role))
            for pid in members[1:]:
                people.append(self.person_entry(pid, t.id, self.choice(roles)))
            if t.flag != "silent-team":
                self.write_team(div, d, t, members, objectives)
        self.out.write(f"people/{div.id}/{d.slug}.yaml", people)

    def write_team(self, div: Division, d: Directorate, t: Team, members: list,
                   dir_objectives: list) -> None:
        rng = self.rng
        defects = self.defects
        unit = t.name
        parts = [f"team: {t.id}\nobjectives:\n"]
        self.data_file = f"data/{div.id}/{d.slug}/{t.slug}.csv"
        self.data_rows = ["measure,period,value\n"]
        sound = []  # (id, theme, due): objectives people can build on
        dropped = []
        cycle = rng.randint(2, min(3, t.objectives - 1)) if t.flag == "support-cycle" else 0
        for k in range(1, t.objectives + 1):
            oid = f"{t.code}-{k}"
            target, theme = self.choice(dir_objectives)
            supports = [target]
            owner = members[0] if rng.random() < 0.7 else self.choice(members[:4])
            due = YEAR_END if k == 1 else QUARTERS[rng.randrange(1, 4)]
            status, extra, n_measures, incomplete = "agreed", "", rng.randint(1, 2), False
            kind = ""
            if cycle and 2 <= k <= cycle + 1:
                # k=2 keeps its link up, so the cycle is the only fault.
                nxt = k + 1 if k <= cycle else 2
                supports = ([target] if k == 2 else []) + [f"{t.code}-{nxt}"]
                due = YEAR_END
            elif k > 1 and (not t.flag or t.flag == "duplicate-id"):
                kind = self.team_sampler.draw()
            if kind == "orphan":
                supports = []
            elif kind == "dangling-support":
                supports = [f"{d.code}-{rng.randint(7, 9)}"]
            elif kind == "misaligned":
                cousins = [c for c in self.cousin[d.id] if not c.startswith(t.code + "-")]
                if cousins:
                    supports = [cousins[0]]
                else:
                    kind = ""
            elif kind == "skip-level":
                # Straight to the division's objective or to the aim.
                supports = [f"{div.code}-1" if rng.random() < 0.5 else theme.aim]
            elif kind == "challenged":
                status = "challenged"
            elif kind == "proposed":
                status = "proposed"
            elif kind == "dropped":
                status = "dropped"
            elif kind == "invalid-status":
                status = "on-hold"
            elif kind == "unowned":
                owner = None
            elif kind == "unknown-owner":
                owner = f"p{self.staff + 1 + rng.randrange(900):0{self.width}d}"
            elif kind == "unmeasured":
                n_measures = 0
            elif kind == "incomplete-measure":
                incomplete = True
            elif kind == "due-after-target":
                due = LATE[YEAR_END]
            elif kind == "unknown-key":
                extra = self.unknown_key()
            if kind:
                defects[kind] += 1
            title, measure = self.pick(theme.team, unit=unit)
            why = self.choice(theme.why) if rng.random() < 0.5 else ""
            parts.append(self.objective(oid, title, supports, owner, due, status, theme,
                                        measure, n_measures, extra, incomplete, why))
            self.team_objectives += 1
            if kind == "dropped":
                dropped.append((oid, due))
            elif kind in ("", "misaligned", "skip-level", "challenged", "proposed", "unowned",
                          "unknown-owner", "unmeasured", "incomplete-measure",
                          "due-after-target", "unknown-key"):
                sound.append((oid, theme, due))
        # People's objectives.
        duplicate = members[1 if t.size > 1 else 0] if t.flag == "duplicate-id" else None
        cousins = [c for c in self.cousin[d.id] if not c.startswith(t.code + "-")]
        for pid in members:
            num_id = pid[1:]
            for k in range(1, 4):
                kind = self.indiv_sampler.draw()
                oid = f"P-{num_id}-{k}"
                if pid == duplicate and k == 3:
                    oid = f"P-{num_id}-2"  # a copy-paste slip; left out of checks
                    kind = ""
                target, theme, tdue = self.choice(sound)
                supports = [target]
                choices = NOT_AFTER[tdue]
                due = self.choice(choices)
                if not kind and len(sound) > 1 and rng.random() < 0.15:
                    other = self.choice(sound)
                    if other[0] != target:
                        supports.append(other[0])
                        if other[2] < due:
                            due = other[2]
                status, extra = "agreed", ""
                if kind == "orphan":
                    supports = []
                elif kind == "dangling-support":
                    supports = [f"{t.code}-{rng.randint(8, 9)}"]
                elif kind == "misaligned":
                    if cousins:
                        supports = [cousins[0]]
                    else:
                        kind = ""
                elif kind == "skip-level":
                    supports = [f"{div.code}-1"]
                elif kind == "challenged":
                    status = "challenged"
                elif kind == "proposed":
                    status = "proposed"
                elif kind == "dropped":
                    status = "dropped"
                elif kind == "due-after-target":
                    due = LATE[tdue]
                elif kind == "unknown-key":
                    extra = self.unknown_key()
                elif dropped and not (pid == duplicate and k == 3):
                    # Someone had already built on an objective the team dropped.
                    target, tdue = dropped.pop()
                    supports, due = [target], min(due, tdue)
                    kind = "supports-dropped"
                if kind:
                    defects[kind] += 1
                parts.append(self.individual(oid, pid, theme, unit, supports, due, status,
                                             extra, data=not (pid == duplicate and k == 3)))
        self.out.write(f"objectives/{div.id}/{d.slug}/{t.slug}.yaml", parts)
        if self.measure_data:
            self.out.write(self.data_file, self.data_rows)
        self.data_file = ""


def generate(out_dir: Path, staff: int, seed: int = 1, defect_rate: float = 0.02,
             *, force: bool = False, measure_data: bool = False) -> dict:
    """Write a synthetic goals repository for `staff` people into `out_dir`.

    Returns the counts: files, bytes, mb, teams, people, aims, objectives
    (team_objectives + individual_objectives), seconds, and `defects`, the
    number of each deliberate defect kind (see DEFECT_RULES). Raises
    FileExistsError when out_dir holds anything and force is false; with
    force, only the generator's own files and folders are replaced.
    """
    out_dir = Path(out_dir)
    if staff < MIN_STAFF:
        raise ValueError(f"staff must be at least {MIN_STAFF}")
    if not 0 <= defect_rate <= 0.5:
        raise ValueError("defect_rate must be between 0 and 0.5")
    if out_dir.exists():
        if not out_dir.is_dir():
            raise NotADirectoryError(str(out_dir))
        if any(out_dir.iterdir()):
            if not force:
                raise FileExistsError(f"{out_dir} is not empty (use --force to replace)")
            for name in OWNED:
                path = out_dir / name
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                elif path.exists() or path.is_symlink():
                    path.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    generator = Generator(out_dir, staff, seed, defect_rate, measure_data)
    stats = generator.run()
    stats["data_measures"] = generator.data_measures
    stats["seconds"] = round(time.perf_counter() - start, 2)
    return stats


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate a synthetic goals repository (catchball benchmark input).")
    parser.add_argument("--staff", type=int, required=True, help="number of people")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (goals root)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--defect-rate", type=float, default=0.02,
                        help="scale of deliberate defects, 0 for none (default 0.02)")
    parser.add_argument("--force", action="store_true",
                        help="write into a non-empty folder: replaces catchball.yaml, "
                        "true-north.yaml, org.yaml, org/, people/ and objectives/ there")
    parser.add_argument("--measure-data", action="store_true",
                        help="give about half the objectives a measure with 24 monthly points, "
                        "in one CSV file per team under data/ (format v1.1)")
    parser.add_argument("--json", action="store_true",
                        help="print all counts, defects included, as JSON on stdout")
    args = parser.parse_args(argv)
    try:
        stats = generate(args.out, args.staff, args.seed, args.defect_rate, force=args.force,
                         measure_data=args.measure_data)
    except (ValueError, OSError) as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out}: {stats['files']:,} files, {stats['bytes'] / 1e6:,.1f} MB, "
          f"{stats['teams']:,} teams, {stats['people']:,} people, "
          f"{stats['objectives']:,} objectives in {stats['seconds']:.1f} s", file=sys.stderr)
    if args.json:
        print(json.dumps(stats, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
