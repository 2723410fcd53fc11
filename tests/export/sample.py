"""A discussion record built by hand, with the awkward text learners really type."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.domain.export.record import AmendmentEntry, AnswerVersion, CriterionEntry, DiscussionRecord, SignOffEntry, UnitEntry

T0 = datetime(2025, 3, 12, 10, 0, tzinfo=timezone.utc)
UNIT = "J/506/2910"
CURLY = "I’d say the “customer experience” is everything they feel about us 😀 – start to finish…"
NON_LATIN = "Клиент всегда прав; ελληνικά; 中文客户; עברית"
LONG = " ".join(["We track complaints, repeat calls and survey scores each week and compare them with targets."] * 40)


def at(minutes: int) -> datetime:
    return T0.replace(minute=minutes)


def sample_record() -> DiscussionRecord:
    criteria = [
        CriterionEntry(UNIT, "1.1", "Explain the concept of the “customer experience”", True,
                       "What does “customer experience” mean where you work?", CURLY, at(3), "Sam Assessor", 2,
                       "met", "Clear explanation with an example from the learner’s own role.", at(4), "Sam Assessor",
                       [AnswerVersion("It is how customers feel", at(2), "Sam Assessor", 1)]),
        CriterionEntry(UNIT, "1.2", "Explain different methods of segmenting and characterising customers", True,
                       "How do you group your customers?", NON_LATIN, at(6), "Sam Assessor", 1,
                       "not_yet_met", "Named groups but did not explain the methods; revisit.", at(7), "Sam Assessor"),
        CriterionEntry(UNIT, "3.1", "Describe techniques used to analyse performance data", False,
                       "How do you analyse performance data?", LONG, at(9), "Sam Assessor", 1,
                       "met", "Described weekly analysis against targets.", at(10), "Sam Assessor"),
        CriterionEntry(UNIT, "3.2", "Explain the factors to be taken into account in setting performance targets and "
                       "objectives", True, None, None, None, None, None, "skipped",
                       "Covered by observation on 3 March.", at(11), "Sam Assessor"),
        CriterionEntry(UNIT, "3.3", "Explain the features and uses of a range of techniques to measure customer "
                       "satisfaction", None),
    ]
    return DiscussionRecord(
        id=42, learner="Priya Learner", assessor="Sam Assessor", source_id="habc-l3",
        qualification="HABC Level 3 Diploma in Customer Service (QCF)", qualification_number="601/4027/6",
        awarding_body="HABC", units=[UnitEntry(UNIT, "Understand customers and customer retention", "3")],
        status="signed", started_at=T0, updated_at=at(30), signed_at=at(20), channel="web", criteria=criteria,
        signoffs=[SignOffEntry("assessor", "Sam Assessor", "I confirm the decisions above are mine.", at(15)),
                  SignOffEntry("learner", "Priya Learner", "These answers are my own work.", at(20))],
        amendments=[AmendmentEntry("1.2", "reason", "Named groups but did not explain",
                                   "Named groups but did not explain the methods; revisit.",
                                   "Typo in the recorded reason", "Sam Assessor", at(30))],
    )
