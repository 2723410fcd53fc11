"""The discussion turn interpreter: every assessor message while a discussion is active comes here.

    handle(session, discussion_id, text, actor, client_msg_id=None) -> TurnResult
    start_reply(session, discussion_id) -> TurnResult      # the plan and the first criterion
    resume(session, actor, learner=None, discussion_id=None) -> TurnResult

Nothing is kept in memory between turns: what the interpreter waits for next (a reason for
"not yet met", a changed answer, a declaration) is Discussion.pending in the database, so a
restarted action server carries on exactly where it was. A message delivered twice with the
same client_msg_id is acted on once and answered with the same replies (the Turn table).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.discussion import commands, named, render
from bot.domain.discussion.commands import Command
from bot.records import access
from bot.records import discussion as records
from bot.domain.errors import Forbidden, NotFound, RecordsError
from bot.records.models import Discussion, PlannedCriterion, Person, Turn
from bot.records.people import PersonLike, get_person
from bot.domain.planning import resolve_unit, source_name, unit_label
from bot.records import catalogue as catalogues
from bot.domain.replies import Button, Reply
from catalogue.errors import SourceError

log = logging.getLogger(__name__)

YES = {"yes", "y", "yeah", "yep", "confirm", "i confirm", "confirmed", "ok", "okay", "agree", "i agree",
       "sign", "sign now", "yes sign", "learner confirms", "they confirm", "confirms", "the learner confirms",
       "yes please", "go ahead", "sign it"}
NO = {"no", "n", "nope", "cancel", "later", "not now", "not present", "learner not present", "no learner",
      "not here", "they're not here", "skip", "sign later", "no thanks"}

@dataclass(slots=True)
class TurnResult:
    replies: list[Reply]
    finished: bool = False  # the discussion loop should end (signed, or finished and left for later)
    paused: bool = False
    discussion_id: Optional[int] = None
    exported: bool = False  # the assessor asked for the record's export links (the caller knows the URL)

    def to_json(self) -> dict[str, Any]:
        return {"replies": [{"text": r.text, "buttons": [[b.title, b.payload] for b in r.buttons], "source": r.source}
                            for r in self.replies],
                "finished": self.finished, "paused": self.paused, "discussion_id": self.discussion_id,
                "exported": self.exported}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TurnResult":
        replies = [Reply(r["text"], [Button(t, p) for t, p in r["buttons"]], r["source"]) for r in data["replies"]]
        return cls(replies, data["finished"], data["paused"], data.get("discussion_id"), data.get("exported", False))


class _Context:
    """One turn's view: the discussion, who is typing, and unit labels for short references."""

    def __init__(self, session: Session, d: Discussion, who: Person, client_msg_id: Optional[str] = None):
        self.s, self.d, self.who, self.client_msg_id = session, d, who, client_msg_id
        self.units = _unit_numbers(d)

    def result(self, replies: list[Reply], finished: bool = False, paused: bool = False,
               exported: bool = False) -> TurnResult:
        return TurnResult(replies, finished, paused, self.d.id, exported)

    def prompt(self, pc: Optional[PlannedCriterion], after: Optional[PlannedCriterion] = None) -> Reply:
        """The criterion to ask about. Guidance the assessor saw with the criterion just decided
        (`after`, same unit and outcome guidance) is not repeated."""
        if pc is None:
            return render.remaining([], [], self.units)
        items = records.plan(self.s, self.d)
        seen = after is not None and after.guidance == pc.guidance and after.unit_ref == pc.unit_ref
        return render.criterion(pc, self.units, (pc.position, len(items)), guidance=not seen)

    def current_prompt(self) -> Reply:
        here = records.current(self.s, self.d)
        if here is None and records.skipped(self.s, self.d):
            return render.remaining([], records.skipped(self.s, self.d), self.units)
        return self.prompt(here)


def _unit_numbers(d: Discussion) -> dict[str, str]:
    """unit ref -> the specification's unit number ("206"), for short labels."""
    numbers = {ref: ref for ref in d.unit_refs}
    try:
        cat = catalogues.current()
    except SourceError as error:  # a broken specification text: the refs themselves are still exact
        log.error("discussion %s shown without unit numbers: %s", d.id, error)
        return numbers
    for ref in d.unit_refs:
        spec = resolve_unit(cat, d.source_id, ref)
        if spec is not None and spec.number:
            numbers[ref] = spec.number
    return numbers


# ---------------------------------------------------------------- entry points


def start_reply(session: Session, discussion_id: int) -> TurnResult:
    """The plan (what will be covered; where the specification does not list professional
    discussion, naming the evidence it does list) and the first criterion."""
    d = records.get(session, discussion_id)
    ctx = _Context(session, d, get_person(session, d.assessor_id))
    learner = get_person(session, d.learner_id)
    titles, label = _titles(d)
    plan_reply = render.plan(learner.display_name, titles, label, records.plan(session, d), ctx.units)
    return ctx.result([plan_reply, ctx.current_prompt()])


def _titles(d: Discussion) -> tuple[list[str], str]:
    try:
        cat = catalogues.current()
    except SourceError as error:  # a broken specification text: the refs and source id still say which
        log.error("discussion %s shown without unit titles: %s", d.id, error)
        return list(d.unit_refs), d.source_id
    specs = [resolve_unit(cat, d.source_id, ref) for ref in d.unit_refs]
    return ([f"unit {unit_label(s)}" if s else ref for s, ref in zip(specs, d.unit_refs)],
            source_name(cat, d.source_id))


def resume(session: Session, actor: PersonLike, learner: Optional[PersonLike] = None,
           discussion_id: Optional[int] = None) -> TurnResult:
    """Carry on with an unfinished discussion, from any channel, at the first criterion without a decision."""
    who = get_person(session, actor, "assessor")
    if discussion_id is not None:
        d = records.get(session, discussion_id)
    else:
        # an unfinished discussion first; else the latest signed one, which can still be amended
        d = (records.find_active(session, who, learner, include_finished=True)
             or records.find_active(session, who, learner, include_signed=True))
    if d is None:
        return TurnResult([Reply("I can't find an unfinished discussion to resume. "
                                 "Say *start a professional discussion with <name> on unit <number>*.")], finished=True)
    _check_actor(session, d, who)
    if d.status == "signed":
        # Stay in the discussion: the only change now possible is an amendment with a reason.
        return TurnResult([Reply("That discussion is signed off. To change an answer say *change my answer to 1.2*: "
                                 "you'll be asked for the new answer and a reason, and both versions stay in the "
                                 "record. You can also export the record.")], discussion_id=d.id)
    records.resume(session, d, by=who)
    ctx = _Context(session, d, who)
    learner_p = get_person(session, d.learner_id)
    cov = records.coverage(session, d)
    decided = len(cov["met"]) + len(cov["not_yet_met"])
    total = decided + len(cov["not_covered"])
    intro = Reply(f"Resuming the discussion with *{learner_p.display_name}*: {decided} of {total} criteria decided.")
    return ctx.result([intro, ctx.current_prompt()])


def _check_actor(session: Session, d: Discussion, who: Person) -> None:
    access.require_run(session, who, d, "run this professional discussion")


def handle(session: Session, discussion_id: int, text: str, actor: PersonLike,
           client_msg_id: Optional[str] = None) -> TurnResult:
    """Act on one assessor message and say what happened. Domain problems (empty answer, unknown
    criterion, too long) come back as replies; an unknown discussion or actor raises.

    Runs inside the turn's one transaction (bot.records.db.transaction): the message id's Turn
    row, the changes and the replies are committed together or not at all, so a redelivered
    message finds either nothing (and is acted on) or the replies it got."""
    d = records.get(session, discussion_id)
    who = get_person(session, actor, "assessor")
    _check_actor(session, d, who)
    if client_msg_id:
        seen = _seen(session, d, client_msg_id)
        if seen is not None:
            return seen
    ctx = _Context(session, d, who, client_msg_id)
    try:
        result = _dispatch(ctx, text)
    except RecordsError as error:  # the failed change was undone by its savepoint (records.db.write)
        result = ctx.result([Reply(error.message)])
    if client_msg_id:
        # a concurrent delivery of the same message fails this insert; the whole turn is then
        # run again and finds that delivery's replies
        session.add(Turn(discussion_id=d.id, client_msg_id=client_msg_id, actor_id=who.id, result=result.to_json()))
        session.flush()
    return result


# ---------------------------------------------------------------- idempotency


def _seen(session: Session, d: Discussion, client_msg_id: str) -> Optional[TurnResult]:
    """The replies a message with this id already got, if it was handled before."""
    turn = session.scalar(select(Turn).where(Turn.discussion_id == d.id, Turn.client_msg_id == client_msg_id))
    return TurnResult.from_json(turn.result) if turn is not None and turn.result is not None else None


# ---------------------------------------------------------------- dispatch


def _dispatch(ctx: _Context, text: str) -> TurnResult:
    cmd = commands.parse(text or "")
    pending = ctx.d.pending
    if pending:
        done = _pending(ctx, pending, cmd, text)
        if done is not None:
            return done
    if cmd.kind == "export":
        return _export(ctx, cmd)
    if ctx.d.status == "signed":
        return _signed(ctx, cmd)
    if ctx.d.status == "finished" and cmd.kind not in ("sign", "leave", "coverage", "remaining", "help", "resume", "finish"):
        return ctx.result([Reply("This discussion is finished. Say *resume* to add to it, or *sign* to sign it off.",
                                 buttons=[Button("Sign", "sign"), Button("Resume", "resume")])])
    if ctx.d.status == "paused" and cmd.kind not in ("pause", "resume"):
        records.resume(ctx.s, ctx.d, by=ctx.who)
        result = HANDLERS[cmd.kind](ctx, cmd)
        result.replies.insert(0, Reply("(Resumed the paused discussion.)"))
        return result
    return HANDLERS[cmd.kind](ctx, cmd)


def _pending(ctx: _Context, pending: dict[str, Any], cmd: Command, text: str) -> Optional[TurnResult]:
    """Finish what the last turn asked for. If the assessor moved on instead (any other command),
    the question is dropped and None returned, so the message is handled as usual."""
    kind = pending.get("kind")
    said = commands.normalise(text).strip(" .!")
    if kind in CONFIRMATIONS and said in YES:
        return CONFIRMATIONS[kind](ctx)
    if kind in CONFIRMATIONS and said in NO:
        records.set_pending(ctx.s, ctx.d, None, by=ctx.who)
        return ctx.result([Reply(DECLINED[kind])], finished=kind != "assessor_declaration")
    if kind == "ambiguous" and said in AS_ANSWER:
        records.set_pending(ctx.s, ctx.d, None, by=ctx.who)
        return _save(ctx, pending["text"], pending if pending.get("ref") else None)
    if kind == "named" and cmd.kind in ("met", "not_yet_met") and not (cmd.ref or cmd.about):
        records.set_pending(ctx.s, ctx.d, None, by=ctx.who)
        reason = _strip_because(cmd.text) if cmd.text else None
        return _decide(ctx, cmd.kind, reason, pending)
    if kind in TEXT_REPLIES and cmd.kind == "answer" and not (cmd.ref or cmd.about):
        return TEXT_REPLIES[kind](ctx, pending, cmd.text or "")
    records.set_pending(ctx.s, ctx.d, None, by=ctx.who)
    return None


def _reason_given(ctx: _Context, pending: dict[str, Any], text: str) -> TurnResult:
    records.set_pending(ctx.s, ctx.d, None, by=ctx.who)
    return _decide(ctx, "not_yet_met", _strip_because(text), pending)


def _new_answer_given(ctx: _Context, pending: dict[str, Any], text: str) -> TurnResult:
    records.set_pending(ctx.s, ctx.d, None, by=ctx.who)
    return _save(ctx, text, pending, replace=True)


def _amended_text_given(ctx: _Context, pending: dict[str, Any], text: str) -> TurnResult:
    records.set_pending(ctx.s, ctx.d, {**pending, "kind": "amend_reason", "new": text}, by=ctx.who)
    return ctx.result([Reply(AMEND_WHY)])


def _amend_reason_given(ctx: _Context, pending: dict[str, Any], text: str) -> TurnResult:
    amendment = records.amend(ctx.s, ctx.d, pending["ref"], "answer", pending["new"], text, ctx.who, unit=pending["unit"])
    records.set_pending(ctx.s, ctx.d, None, by=ctx.who)
    note = records.undone_note(ctx.s, amendment)
    return ctx.result([Reply(f"Amended the answer to {pending['ref']}, with your reason. "
                             "The earlier answer and the amendment are both kept in the record."
                             + (f" {note} Say *sign* when they are with you." if note else ""))])


AMEND_WHY = "This record is signed, so the change is an amendment. Why are you amending it?"
DECLINED = {
    "learner_confirm": "OK. The record is signed by you; the learner can confirm it later.",
    "sign_offer": "Saved. The discussion is finished but not signed; resume it any time to sign it off.",
    "assessor_declaration": "Not signed. Say *sign* when you're ready.",
}


def _strip_because(text: str) -> str:
    stripped = text.strip()
    for lead in ("because ", "as ", "reason: ", "reason "):
        if stripped.lower().startswith(lead):
            return stripped[len(lead):].strip()
    return stripped


def _signed(ctx: _Context, cmd: Command) -> TurnResult:
    if cmd.kind in ("coverage", "remaining", "help"):
        return HANDLERS[cmd.kind](ctx, cmd)
    if cmd.kind == "change":
        return _change(ctx, cmd)
    if cmd.kind == "sign" and not any(s.role == "learner" for s in records.holding_sign_offs(ctx.s, ctx.d)):
        return _ask_learner(ctx, [])
    if cmd.kind == "leave":
        return _leave(ctx, cmd)
    # the assessor stays in the discussion: say what can still be done with a signed record
    what = {"met": "marked met", "not_yet_met": "marked not yet met", "skip": "skipped", "answer": "added to",
            "paste": "added to", "ambiguous": "changed"}.get(cmd.kind, "changed")
    return ctx.result([Reply(f"This record is signed off. It can't be {what} directly; what you can still do: "
                             "amend an answer or a decision with a reason (say *change my answer to 1.2*; both "
                             "versions stay in the record), *export the record*, or *leave* the discussion.")])


def _export(ctx: _Context, cmd: Command) -> TurnResult:
    return ctx.result([], exported=True)  # the links are given by the caller, which knows the public URL


def _leave(ctx: _Context, cmd: Command) -> TurnResult:
    return ctx.result([Reply("Left the discussion; everything is saved. Say *resume the discussion* to come back.")],
                      finished=True)


# ---------------------------------------------------------------- handlers


def _target(ctx: _Context, pending: Optional[dict[str, Any]] = None) -> Optional[PlannedCriterion]:
    if pending and pending.get("ref"):
        return records.resolve(ctx.s, ctx.d, pending["ref"], pending.get("unit"))
    return records.current(ctx.s, ctx.d)


def _save(ctx: _Context, text: str, pending: Optional[dict[str, Any]] = None, replace: bool = False) -> TurnResult:
    pc = _target(ctx, pending)
    if pc is None:
        return ctx.result([Reply("Every criterion already has a decision, so I haven't saved that. "
                                 "Say *go to 1.2* (for example) to add to one, or *finish*.")])
    answer = records.record_answer(ctx.s, ctx.d, pc.criterion_ref, text, ctx.who, ctx.client_msg_id,
                                   unit=pc.unit_ref, question=render.question_for(pc), replace=replace)
    what = "Replaced the answer" if replace else ("Added to the answer" if answer.version > 1 else "Saved")
    return ctx.result([Reply(f"{what} for {render.label(pc, ctx.units)}. Met, not yet met, or more to add?",
                             buttons=list(render.DECISION_BUTTONS))])


def _answer(ctx: _Context, cmd: Command) -> TurnResult:
    if cmd.ref or cmd.about:
        return _named_answer(ctx, cmd)
    return _save(ctx, cmd.text or "")


def _named_answer(ctx: _Context, cmd: Command) -> TurnResult:
    """An answer for the criterion it names ("for the complaints one she said ..."), in any order. The
    discussion stays where it was: the next bare decision ("met") or more text is for the named one
    (pending "named"), and after that decision the discussion goes on with what is open."""
    text = cmd.text or ""
    if cmd.ref:
        pc = records.resolve(ctx.s, ctx.d, cmd.ref, cmd.unit)
    else:
        try:
            pc = _by_words(ctx, cmd, lambda ref: f"{ref}: {text}")
        except NotFound:
            return _ambiguous(ctx, Command("ambiguous", text=text), whole=cmd)
        except _Which as which:
            return ctx.result([which.reply])
    where = {"unit": pc.unit_ref, "ref": pc.criterion_ref}
    result = _save(ctx, text, where)
    here = records.current(ctx.s, ctx.d)
    if here is not None and here.id != pc.id:
        records.set_pending(ctx.s, ctx.d, {"kind": "named", **where}, by=ctx.who)
        result.replies[-1] = Reply(f"{result.replies[-1].text} (Then back to {render.label(here, ctx.units)}.)",
                                   buttons=result.replies[-1].buttons)
    return result


def _more_for_named(ctx: _Context, pending: dict[str, Any], text: str) -> TurnResult:
    result = _save(ctx, text, pending)
    records.set_pending(ctx.s, ctx.d, pending, by=ctx.who)  # still the named one's turn
    return result


def _decide(ctx: _Context, outcome: str, reason: Optional[str], pending: Optional[dict[str, Any]] = None) -> TurnResult:
    pc = _target(ctx, pending)
    if pc is None:
        return ctx.result([render.remaining([], records.skipped(ctx.s, ctx.d), ctx.units)])
    if outcome == "not_yet_met" and not reason:
        records.set_pending(ctx.s, ctx.d, {"kind": "reason", "unit": pc.unit_ref, "ref": pc.criterion_ref}, by=ctx.who)
        return ctx.result([Reply(f"What is missing for {render.label(pc, ctx.units)}? "
                                 "(The reason is recorded for the learner.)")])
    records.decide(ctx.s, ctx.d, pc.criterion_ref, outcome, reason, ctx.who, unit=pc.unit_ref)
    said = {"met": "met", "not_yet_met": "not yet met", "skipped": "skipped"}[outcome]
    done = Reply(f"{render.label(pc, ctx.units)}: {said}.")
    here = records.current(ctx.s, ctx.d)
    if here is None:
        cov = records.coverage(ctx.s, ctx.d)
        return ctx.result([done, _coverage_reply(ctx, cov), render.remaining([], records.skipped(ctx.s, ctx.d), ctx.units)])
    return ctx.result([done, ctx.prompt(here, after=pc)])


class _Which(Exception):
    """The words name more than one planned criterion: the reply asks which (nothing is stored)."""

    def __init__(self, reply: Reply):
        self.reply = reply


def _by_words(ctx: _Context, cmd: Command, payload) -> PlannedCriterion:
    """The planned criterion named by words of its text ("the complaints one"); raises when none or
    several read like it. `payload(ref words)` is what each choice button says."""
    items = records.plan(ctx.s, ctx.d)
    hits = named.match(cmd.about or "", [(pc, pc.criterion_text) for pc in items])
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise NotFound(f"No criterion planned for this discussion reads like “{cmd.about}”. Name it by its number "
                       "(*1.2*), or say *what's left* to see them.")
    choices = hits[:4]
    listed = "\n".join(f"- {render.label(pc, ctx.units)} “{render._shorten(pc.criterion_text, 80)}”" for pc in choices)
    multi = len(ctx.d.unit_refs) > 1
    buttons = [Button(render.label(pc, ctx.units),
                      payload(pc.criterion_ref + (f" in unit {ctx.units.get(pc.unit_ref, pc.unit_ref)}" if multi else "")))
               for pc in choices]
    raise _Which(Reply(f"More than one criterion reads like “{cmd.about}”, so I haven't recorded anything yet. "
                       f"Which one?\n{listed}", buttons=buttons))


def _named(ctx: _Context, cmd: Command, payload=lambda ref: ref) -> Optional[dict[str, Any]]:
    """The criterion a decision names ("mark 1.3 as met", "the complaints one is met"), whichever one
    the discussion stands on."""
    if cmd.ref:
        pc = records.resolve(ctx.s, ctx.d, cmd.ref, cmd.unit)
    elif cmd.about:
        pc = _by_words(ctx, cmd, payload)
    else:
        return None
    return {"unit": pc.unit_ref, "ref": pc.criterion_ref}


def _decision_payload(outcome: str, reason: Optional[str]):
    said = "met" if outcome == "met" else "not yet met"
    return lambda ref: f"{ref} {said}" + (f": {reason}" if reason else "")


def _met(ctx: _Context, cmd: Command) -> TurnResult:
    try:
        return _decide(ctx, "met", cmd.text, _named(ctx, cmd, _decision_payload("met", cmd.text)))
    except _Which as which:
        return ctx.result([which.reply])


def _not_yet_met(ctx: _Context, cmd: Command) -> TurnResult:
    reason = _strip_because(cmd.text) if cmd.text else None
    try:
        return _decide(ctx, "not_yet_met", reason, _named(ctx, cmd, _decision_payload("not_yet_met", reason)))
    except _Which as which:
        return ctx.result([which.reply])


AS_ANSWER = {"answer", "the answer", "it's the answer", "its the answer", "part of the answer", "save it",
             "save as answer", "save it as the answer", "her answer", "his answer", "their answer",
             "learner's answer", "the learner's answer", "it's her answer", "it's his answer", "it's an answer",
             "add it", "add it to the answer", "keep it"}


def _ambiguous(ctx: _Context, cmd: Command, whole: Optional[Command] = None) -> TurnResult:
    """A message that could be a decision or the learner's words: asked about, nothing stored yet.
    `whole`: an answer addressed to words no criterion reads like; *answer* saves it all, as typed."""
    here = records.current(ctx.s, ctx.d)
    where = {"unit": here.unit_ref, "ref": here.criterion_ref} if here else {}
    records.set_pending(ctx.s, ctx.d, {"kind": "ambiguous", **where, "text": cmd.text}, by=ctx.who)
    if whole is not None:
        at = f" for {render.label(here, ctx.units)}" if here else ""
        return ctx.result([Reply(f"No criterion planned for this discussion reads like “{whole.about}”, so I haven't "
                                 f"stored that. Name it by its number (*for 1.2: ...*), or say *answer* to save "
                                 f"“{render._shorten(cmd.text or '', 80)}” as the answer{at}.",
                                 buttons=[Button("Save as answer", "answer")])])
    return ctx.result([Reply(f"I'm not sure whether “{render._shorten(cmd.text or '', 120)}” is your decision or part "
                             "of the learner's answer, so I haven't stored it. Say *met*, *not yet met: <reason>*, "
                             "or *answer* to save it as the answer.",
                             buttons=[Button("Met", "met"), Button("Not yet met", "not yet met"),
                                      Button("Save as answer", "answer")])])


def _skip(ctx: _Context, cmd: Command) -> TurnResult:
    return _decide(ctx, "skipped", cmd.text)


def _goto(ctx: _Context, cmd: Command) -> TurnResult:
    if cmd.about and not cmd.ref:
        try:
            where = _named(ctx, cmd, lambda ref: f"go to {ref}")
        except _Which as which:
            return ctx.result([which.reply])
        pc = records.goto(ctx.s, ctx.d, where["ref"], where["unit"], by=ctx.who)
    else:
        pc = records.goto(ctx.s, ctx.d, cmd.ref or "", cmd.unit, by=ctx.who)
    return ctx.result([ctx.prompt(pc)])


def _back(ctx: _Context, cmd: Command) -> TurnResult:
    pc = records.back(ctx.s, ctx.d, by=ctx.who)
    return ctx.result([ctx.prompt(pc)])


def _change(ctx: _Context, cmd: Command) -> TurnResult:
    pc = records.resolve(ctx.s, ctx.d, cmd.ref, cmd.unit) if cmd.ref else records.current(ctx.s, ctx.d)
    if pc is None:
        return ctx.result([Reply("Which criterion? Say *change my answer to 1.2*, for example.")])
    where = {"unit": pc.unit_ref, "ref": pc.criterion_ref}
    signed = ctx.d.status == "signed"
    if cmd.text:
        if signed:
            records.set_pending(ctx.s, ctx.d, {"kind": "amend_reason", **where, "new": cmd.text}, by=ctx.who)
            return ctx.result([Reply(AMEND_WHY)])
        return _save(ctx, cmd.text, where, replace=True)
    current = records.current_answers(ctx.s, ctx.d).get((pc.unit_ref, pc.criterion_ref))
    records.set_pending(ctx.s, ctx.d, {"kind": "amend_text" if signed else "change", **where}, by=ctx.who)
    shown = f"\nIt is now: “{render._shorten(current.text, 300)}”" if current else ""
    return ctx.result([Reply(f"OK, send the new answer for {render.label(pc, ctx.units)}; it will replace the old one "
                             f"(which stays in the history).{shown}")])


def _paste(ctx: _Context, cmd: Command) -> TurnResult:
    """Save each labelled part against its criterion. A label that is not a planned criterion
    ("10.30: we opened") is taken as part of the text before it."""
    items: list[tuple[PlannedCriterion, str]] = []
    for ref, body in cmd.items:
        try:
            pc = records.resolve(ctx.s, ctx.d, ref)
        except RecordsError:
            if not items:
                raise
            items[-1] = (items[-1][0], f"{items[-1][1]} {ref}: {body}".strip())
            continue
        items.append((pc, body))
    empty = [render.label(pc, ctx.units) for pc, body in items if not body.strip()]
    saved = []
    for number, (pc, body) in enumerate(items, start=1):
        if body.strip():
            part_id = f"{ctx.client_msg_id}#{number}" if ctx.client_msg_id else None
            records.record_answer(ctx.s, ctx.d, pc.criterion_ref, body, ctx.who, part_id, unit=pc.unit_ref,
                                  question=render.question_for(pc))
            saved.append(render.label(pc, ctx.units))
    lines = [f"Saved {len(saved)} answer{'s' if len(saved) != 1 else ''}: {', '.join(saved)}." if saved
             else "Nothing saved."]
    if empty:
        lines.append(f"No text after {', '.join(empty)}, so nothing saved for {'them' if len(empty) > 1 else 'it'}.")
    return ctx.result([Reply(" ".join(lines)), ctx.current_prompt()])


def _coverage_reply(ctx: _Context, cov: dict[str, list[PlannedCriterion]]) -> Reply:
    decisions = records.current_decisions(ctx.s, ctx.d)
    reasons = {pc.id: decisions[(pc.unit_ref, pc.criterion_ref)].reason or "" for pc in cov["not_yet_met"]}
    return render.coverage(cov, reasons, ctx.units)


def _coverage(ctx: _Context, cmd: Command) -> TurnResult:
    return ctx.result([_coverage_reply(ctx, records.coverage(ctx.s, ctx.d))])


def _remaining(ctx: _Context, cmd: Command) -> TurnResult:
    skipped = records.skipped(ctx.s, ctx.d)
    skipped_ids = {pc.id for pc in skipped}
    open_items = [pc for pc in records.remaining(ctx.s, ctx.d) if pc.id not in skipped_ids]
    return ctx.result([render.remaining(open_items, skipped, ctx.units)])


def _pause(ctx: _Context, cmd: Command) -> TurnResult:
    here = records.current(ctx.s, ctx.d)
    records.pause(ctx.s, ctx.d, by=ctx.who)
    learner = get_person(ctx.s, ctx.d.learner_id)
    at = f" at {render.label(here, ctx.units)}" if here else ""
    return ctx.result([Reply(f"Paused{at}. Everything so far is saved. Say *resume the discussion with "
                             f"{learner.display_name}* any time, from any channel.")], paused=True)


def _resume(ctx: _Context, cmd: Command) -> TurnResult:
    records.resume(ctx.s, ctx.d, by=ctx.who)
    return ctx.result([ctx.current_prompt()])


def _finish(ctx: _Context, cmd: Command) -> TurnResult:
    records.finish(ctx.s, ctx.d, by=ctx.who)
    records.set_pending(ctx.s, ctx.d, {"kind": "sign_offer"}, by=ctx.who)
    cov = records.coverage(ctx.s, ctx.d)
    return ctx.result([Reply("Discussion finished."), _coverage_reply(ctx, cov),
                       Reply("Sign it off now?", buttons=[Button("Sign now", "sign now"), Button("Later", "later")])])


def _sign(ctx: _Context, cmd: Command) -> TurnResult:
    return _offer_declaration(ctx)


def _offer_declaration(ctx: _Context) -> TurnResult:
    records.set_pending(ctx.s, ctx.d, {"kind": "assessor_declaration"}, by=ctx.who)
    return ctx.result([Reply(f"Assessor declaration:\n“{records.ASSESSOR_DECLARATION}”\nDo you confirm?",
                             buttons=[Button("I confirm", "i confirm"), Button("Cancel", "cancel")])])


def _sign_assessor(ctx: _Context) -> TurnResult:
    records.sign(ctx.s, ctx.d, ctx.who, "assessor")
    achieved = records.mark_achieved_if_complete(ctx.s, ctx.d, by=ctx.who)
    lines = [f"Signed by you ({ctx.d.signed_at:%d %b %Y %H:%M} UTC)."]
    if achieved:
        lines.append(f"Every criterion met: unit {', '.join(ctx.units.get(u, u) for u in achieved)} "
                     "is now confirmed as achieved.")
    return _ask_learner(ctx, [Reply(" ".join(lines))])


def _ask_learner(ctx: _Context, replies: list[Reply]) -> TurnResult:
    records.set_pending(ctx.s, ctx.d, {"kind": "learner_confirm"}, by=ctx.who)
    learner = get_person(ctx.s, ctx.d.learner_id)
    return ctx.result(replies + [Reply(
        f"Is {learner.display_name} with you to confirm?\nLearner declaration: “{records.LEARNER_DECLARATION}”",
        buttons=[Button("Learner confirms", "learner confirms"), Button("Learner not present", "not present")])])


def _sign_learner(ctx: _Context) -> TurnResult:
    records.sign(ctx.s, ctx.d, ctx.d.learner_id, "learner", by=ctx.who)
    records.set_pending(ctx.s, ctx.d, None, by=ctx.who)
    learner = get_person(ctx.s, ctx.d.learner_id)
    return ctx.result([Reply(f"{learner.display_name}'s confirmation is recorded. The record is complete; "
                             "say *export the record* for a PDF, CSV or JSON copy, or *leave* when you're done.")])


def _help(ctx: _Context, cmd: Command) -> TurnResult:
    return ctx.result([Reply(render.HELP), ctx.current_prompt()])


CONFIRMATIONS = {"assessor_declaration": _sign_assessor, "learner_confirm": _sign_learner,
                 "sign_offer": _offer_declaration}
TEXT_REPLIES = {"reason": _reason_given, "change": _new_answer_given, "amend_text": _amended_text_given,
                "amend_reason": _amend_reason_given, "named": _more_for_named}
HANDLERS = {
    "answer": _answer, "met": _met, "not_yet_met": _not_yet_met, "skip": _skip, "goto": _goto, "back": _back,
    "change": _change, "paste": _paste, "coverage": _coverage, "remaining": _remaining, "pause": _pause,
    "resume": _resume, "finish": _finish, "sign": _sign, "help": _help, "ambiguous": _ambiguous,
    "leave": _leave, "export": _export,
}
