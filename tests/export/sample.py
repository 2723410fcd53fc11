"""A discussion record built by hand, with the awkward text learners really type and a history:
an answer added to, a decision amended after sign-off, and a learner signature given before it."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.domain.export.record import (
    AmendmentEntry,
    AnswerVersion,
    CriterionEntry,
    DecisionVersion,
    DiscussionRecord,
    SignOffEntry,
    UnitEntry,
)

T0 = datetime(2025, 3, 12, 10, 0, tzinfo=timezone.utc)  # GMT: UK time is UTC in March before the 30th
UNIT = "J/506/2910"
CURLY = "I’d say the “customer experience” is everything they feel about us 😀 – start to finish…"
NON_LATIN = "Клиент всегда прав; ελληνικά; 中文客户; עברית"
LONG = " ".join(["We track complaints, repeat calls and survey scores each week and compare them with targets."] * 40)
SAM, PRIYA = "Sam Assessor", "Priya Learner"
FIRST_REASON = "Named groups but did not explain the methods; revisit."
AMENDED_REASON = "Methods were explained in the audio recording."
WHY_AMENDED = "IQA listened to the recording: segmentation methods were covered."


def at(minutes: int) -> datetime:
    return T0.replace(minute=minutes)


def criterion(ref, text, pd_listed, question, answers, decisions, line, outcome="1") -> CriterionEntry:
    """A criterion whose current answer and decision are the last of `answers` and `decisions`."""
    a = answers[-1] if answers else None
    x = decisions[-1] if decisions else None
    return CriterionEntry(
        UNIT, ref, text, pd_listed, question,
        a.text if a else None, a.recorded_at if a else None, a.recorded_by if a else None, a.version if a else None,
        x.outcome if x else None, x.reason if x else None, x.decided_at if x else None, x.decided_by if x else None,
        answer_versions=list(answers), decision_versions=list(decisions), outcome_ref=outcome,
        outcome_text="Understand Customer Relationship Management (CRM)" if outcome == "1" else
        "Understand how to monitor and evaluate customer service performance",
        citation=f"HABC Level 3 Diploma, unit 3, learning outcome {outcome}, assessment criterion {ref} (line {line})",
        kind="ac")


def sample_record() -> DiscussionRecord:
    criteria = [
        criterion("1.1", "Explain the concept of the “customer experience”", True,
                  "What does “customer experience” mean where you work?",
                  [AnswerVersion("It is how customers feel", at(2), SAM, 1), AnswerVersion(CURLY, at(3), SAM, 2)],
                  [DecisionVersion("met", "Clear explanation with an example from the learner’s own role.", at(4),
                                   SAM, 1)], 352),
        criterion("1.2", "Explain different methods of segmenting and characterising customers", True,
                  "How do you group your customers?", [AnswerVersion(NON_LATIN, at(6), SAM, 1)],
                  [DecisionVersion("not_yet_met", FIRST_REASON, at(7), SAM, 1),
                   DecisionVersion("met", AMENDED_REASON, at(30), SAM, 2, amendment_reason=WHY_AMENDED)], 353),
        criterion("3.1", "Describe techniques used to analyse performance data", False,
                  "How do you analyse performance data?", [AnswerVersion(LONG, at(9), SAM, 1)],
                  [DecisionVersion("met", "Described weekly analysis against targets.", at(10), SAM, 1)], 371, "3"),
        criterion("3.2", "Explain the factors to be taken into account in setting performance targets and "
                  "objectives", True, None, [],
                  [DecisionVersion("skipped", "Covered by observation on 3 March.", at(11), SAM, 1)], 372, "3"),
        criterion("3.3", "Explain the features and uses of a range of techniques to measure customer satisfaction",
                  None, None, [], [], 373, "3"),
    ]
    return DiscussionRecord(
        id=42, learner=PRIYA, assessor=SAM, source_id="habc-l3",
        qualification="HABC Level 3 Diploma in Customer Service (QCF)", qualification_number="601/4027/6",
        awarding_body="HABC", units=[UnitEntry(UNIT, "Understand customers and customer retention", "3")],
        status="signed", started_at=T0, updated_at=at(30), signed_at=at(15), channel="web",
        specification="HABC Level 3 Diploma", criteria=criteria,
        signoffs=[SignOffEntry("assessor", SAM, "I confirm the decisions above are mine.", at(15), True, at(30)),
                  SignOffEntry("learner", PRIYA, "These answers are my own work.", at(20), True, at(30))],
        amendments=[AmendmentEntry("1.2", "decision", "not_yet_met", "met", WHY_AMENDED, SAM, at(30), UNIT)],
    )
