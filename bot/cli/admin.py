"""python -m bot admin: people, roles, assessors' learners, API tokens and chat accounts.

Run on the server: it opens the records database itself (DATABASE_URL, else SQLite under var/, or
--database), so whoever can run it can already read that database. Changes are made by the
records services, in one transaction per command, as an admin: the one given with --as, else the
only admin there is. The first admin is created with `create NAME --role admin`. Every change is
in the audit log. Exit status: 0 done, 2 bad input or refused (the reason is printed), 3 the
database cannot be reached.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable, Optional, Sequence

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.domain.errors import RecordsError
from bot.records import access
from bot.records import enrolment as enrolments
from bot.records import people
from bot.records.db import database_url, migrate, transaction
from bot.records.models import CHANNELS, ROLES, Person

PROG = "python -m bot admin"


class UsageError(Exception):
    """Bad input the records services cannot judge (an unknown or ambiguous name): exit status 2."""


# --- naming people --------------------------------------------------------------------------


def _line(session: Session, p: Person) -> str:
    accounts = ", ".join(f"{i.channel} {i.external_id}" for i in people.identities_of(session, p))
    return f"{p.id:>5}  {p.display_name:<28} {p.role:<9} {accounts}".rstrip()


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def person(session: Session, text: str) -> Person:
    """A person by id, by full name, or by a first name or surname only they have. A near miss
    is not taken for them (a change to the wrong person is worse than a retyped name)."""
    text = text.strip()
    if text.isdigit():
        found = session.get(Person, int(text))
        if found is None:
            raise UsageError(f"There is no person with id {text}. `{PROG} list` shows everyone.")
        return found
    everyone, wanted = people.list_people(session), _norm(text)
    for matches in ([p for p in everyone if _norm(p.display_name) == wanted],
                    [p for p in everyone if wanted in _norm(p.display_name).split()]):
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = "; ".join(f"{p.id} {p.display_name} ({p.role})" for p in matches[:6])
            raise UsageError(f"'{text}' could be several people: {listed}. Give the id instead.")
    close = people.find_people(session, text)
    if close:
        listed = "; ".join(f"{p.id} {p.display_name} ({p.role})" for p in close[:6])
        raise UsageError(f"Nobody is called '{text}'. Did you mean {listed}? Give the name as listed, or the id.")
    raise UsageError(f"Nobody is called '{text}'. `{PROG} list` shows everyone; `{PROG} create` adds a person.")


def acting_admin(session: Session, chosen: Optional[str]) -> Optional[Person]:
    """The admin a command acts as: --as, else the only admin; None while there is no admin yet."""
    if chosen:
        p = person(session, chosen)
        if p.role != "admin":
            raise UsageError(f"{p.display_name} is a {p.role}; --as needs an admin.")
        return p
    admins = people.list_people(session, "admin")
    if len(admins) > 1:
        names = "; ".join(f"{a.id} {a.display_name}" for a in admins)
        raise UsageError(f"There are {len(admins)} admins ({names}); say which one you are with --as.")
    return admins[0] if admins else None


def _admin(session: Session, args) -> Person:
    admin = acting_admin(session, args.as_admin)
    if admin is None:
        raise UsageError(f'There is no admin yet. Create the first one: {PROG} create "Your Name" --role admin')
    return admin


# --- commands: each takes (session, args) and returns what to print, or (that, a note for stderr)


def cmd_create(session: Session, args) -> str:
    name = " ".join(args.name.split())
    same = [p for p in people.list_people(session) if p.display_name.casefold() == name.casefold()]
    if same and not args.duplicate:
        raise UsageError(f"There is already a person called {same[0].display_name} (id {same[0].id}, {same[0].role}). "
                         "To create another person with the same name, add --duplicate.")
    # the first admin needs none to create them; everyone after is created by an admin
    actor = acting_admin(session, args.as_admin) if args.role == "admin" else _admin(session, args)
    p = people.create_person(session, name, args.role, actor=actor)
    return f"Created {p.display_name} (id {p.id}, {p.role})."


def cmd_list(session: Session, args) -> str:
    found = people.list_people(session, args.role)
    if not found:
        return "Nobody yet." if args.role is None else f"There is no {args.role} yet."
    return "\n".join(_line(session, p) for p in found)


def cmd_find(session: Session, args) -> str:
    found = people.find_people(session, args.text, args.role)
    if not found:
        return f"Nobody's name matches '{args.text}'."
    return "\n".join(_line(session, p) for p in found)


def cmd_show(session: Session, args) -> str:
    p = person(session, args.person)
    if args.id:
        return str(p.id)  # for scripts: SAM_ID=$(... show "Sam Patel" --id)
    lines = [f"{p.display_name} (id {p.id}), {p.role}, created {p.created_at:%Y-%m-%d %H:%M} UTC"]
    accounts = people.identities_of(session, p)
    lines += [f"  account: {i.channel} {i.external_id}" for i in accounts] or ["  no chat accounts linked"]
    if p.role == "assessor":
        learners = access.assigned_learners(session, p)
        lines.append("  learners: " + ("; ".join(f"{l.display_name} (id {l.id})" for l in learners) or "none assigned"))
    if p.role == "learner":
        assessors = access.assessors_of(session, p)
        lines.append("  assessors: " + ("; ".join(f"{a.display_name} (id {a.id})" for a in assessors) or "none assigned"))
        for e in enrolments.enrolments_of(session, p):
            assessor = session.get(Person, e.assessor_id) if e.assessor_id else None
            lines.append(f"  enrolled on {e.source_id}" + (f", assessor {assessor.display_name} (id {assessor.id})"
                                                          if assessor else ", no assessor named"))
    return "\n".join(lines)


def cmd_assign(session: Session, args) -> str:
    learner, assessor = person(session, args.learner), person(session, args.to)
    access.assign(session, _admin(session, args), assessor, learner)
    return f"{learner.display_name} (id {learner.id}) is assigned to {assessor.display_name} (id {assessor.id})."


def cmd_unassign(session: Session, args) -> str:
    learner, assessor = person(session, args.learner), person(session, args.from_)
    if not access.unassign(session, _admin(session, args), assessor, learner):
        return f"{learner.display_name} was not assigned to {assessor.display_name}: nothing changed."
    return f"{learner.display_name} (id {learner.id}) is no longer assigned to {assessor.display_name} (id {assessor.id})."


def cmd_enrol(session: Session, args) -> str:
    learner = person(session, args.learner)
    assessor = person(session, args.assessor) if args.assessor else None
    if assessor is not None and assessor.role != "assessor":
        raise UsageError(f"{assessor.display_name} is {_a(assessor.role)}, not an assessor.")
    known = enrolments.known_sources(session)
    if args.qualification not in known:
        raise UsageError(f"Unknown qualification '{args.qualification}'. Known: {', '.join(known)}.")
    e = enrolments.enrol(session, learner, args.qualification, assessor, actor=_admin(session, args))
    return (f"{learner.display_name} (id {learner.id}) is enrolled on {e.source_id}"
            + (f" with {assessor.display_name} (id {assessor.id}) as assessor." if assessor else "."))


def cmd_rename(session: Session, args) -> str:
    p = person(session, args.person)
    old = p.display_name
    people.rename_person(session, _admin(session, args), p, args.new_name)
    return f"Renamed {old} (id {p.id}) to {p.display_name}."


def _a(role: str) -> str:
    return ("an " if role[0] in "aeiou" else "a ") + role


def cmd_give_role(session: Session, args) -> str:
    p = person(session, args.person)
    old = p.role
    people.grant_role(session, _admin(session, args), p, args.role)
    return (f"{p.display_name} (id {p.id}) is already {_a(p.role)}." if old == p.role
            else f"{p.display_name} (id {p.id}) is now {_a(p.role)} (was {old}).")


def cmd_take_role(session: Session, args) -> str:
    p = person(session, args.person)
    people.take_role(session, _admin(session, args), p, args.role)
    return f"{p.display_name} (id {p.id}) is no longer {_a(args.role)}: now {_a(p.role)}."


def cmd_issue_token(session: Session, args) -> str:
    p = person(session, args.person)
    token = people.issue_token(session, p, actor=_admin(session, args), days=args.days, label="command line")
    row = people.token_record(session, token)
    # the token alone on standard output, so that TOKEN=$(... issue-token ...) works
    return token, (f"API token {row.id} for {p.display_name} (id {p.id}, {p.role}), valid until "
                   f"{row.expires_at:%Y-%m-%d %H:%M} UTC. It is shown only this once; give it to them privately.")


def _token_line(row) -> str:
    state = (f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at is not None
             else f"expired {row.expires_at:%Y-%m-%d %H:%M}" if not people.is_valid(row)
             else f"valid until {row.expires_at:%Y-%m-%d %H:%M}")
    return f"{row.id:>5}  issued {row.created_at:%Y-%m-%d %H:%M}  {state} UTC  {row.label or ''}".rstrip()


def cmd_tokens(session: Session, args) -> str:
    p = person(session, args.person)
    rows = people.tokens_of(session, p, _admin(session, args))
    return "\n".join(_token_line(r) for r in rows) if rows else f"{p.display_name} has no API tokens."


def cmd_revoke_token(session: Session, args) -> str:
    p = person(session, args.person)
    admin = _admin(session, args)
    if args.id is None:
        revoked = people.revoke_tokens(session, p, admin, reason="command line")
        return (f"Revoked {len(revoked)} token{'' if len(revoked) == 1 else 's'} of {p.display_name} (id {p.id})."
                if revoked else f"{p.display_name} (id {p.id}) has no valid token to revoke.")
    owned = [r for r in people.tokens_of(session, p, admin) if r.id == args.id]
    if not owned:
        raise UsageError(f"{p.display_name} has no token {args.id}. `{PROG} tokens \"{p.display_name}\"` lists theirs.")
    people.revoke_token(session, args.id, admin, reason="command line")
    return f"Revoked token {args.id} of {p.display_name} (id {p.id})."


def cmd_link(session: Session, args) -> str:
    p = person(session, args.person)
    before = people.account_owner(session, args.channel, args.account)
    people.link_identity(session, p, args.channel, args.account, actor=_admin(session, args), move=args.move)
    moved = f", moved from {before.display_name} (id {before.id})" if before is not None and before.id != p.id else ""
    return f"Linked {args.channel} account {args.account.strip()} to {p.display_name} (id {p.id}, {p.role}){moved}."


# --- the parser -------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                  epilog="A PERSON is an id or a name ('Asha', 'Asha Khan'). "
                                         "README, section 'Identity and roles', walks through a first set-up.")
    top.add_argument("--database", metavar="URL", help="records database (default: DATABASE_URL, else var/assistant.db)")
    top.add_argument("--as", dest="as_admin", metavar="ADMIN",
                     help="the admin making the change (needed only when there are several)")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable, help: str, **kwargs) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, **kwargs)
        p.set_defaults(run=run)
        return p

    c = command("create", cmd_create, "create a person (a learner unless --role says otherwise)")
    c.add_argument("name", help='their name as shown to others, e.g. "Asha Khan"')
    c.add_argument("--role", choices=ROLES, default="learner")
    c.add_argument("--duplicate", action="store_true", help="create them even if someone already has that name")
    c = command("list", cmd_list, "everyone, with their role and linked chat accounts")
    c.add_argument("--role", choices=ROLES)
    c = command("find", cmd_find, "people whose name matches, loosely ('Sam' finds 'Sam Patel')")
    c.add_argument("text")
    c.add_argument("--role", choices=ROLES)
    c = command("show", cmd_show, "one person: role, chat accounts and enrolments")
    c.add_argument("person")
    c.add_argument("--id", action="store_true", help="print only their id")
    c = command("assign", cmd_assign, "assign a learner to an assessor, who may then run their discussions")
    c.add_argument("learner")
    c.add_argument("--to", required=True, metavar="ASSESSOR")
    c = command("unassign", cmd_unassign, "take a learner from an assessor")
    c.add_argument("learner")
    c.add_argument("--from", dest="from_", required=True, metavar="ASSESSOR")
    c = command("enrol", cmd_enrol, "enrol a learner on a qualification, optionally naming their assessor")
    c.add_argument("learner")
    c.add_argument("qualification", help="its id, e.g. sfj-l2 (an unknown id lists the known ones)")
    c.add_argument("--assessor", help="the assessor who will assess them")
    c = command("rename", cmd_rename, "correct a person's name")
    c.add_argument("person")
    c.add_argument("new_name")
    for name, run, verb in (("give-role", cmd_give_role, "give a person a role (one role at a time)"),
                            ("take-role", cmd_take_role, "take a role away (the person is a learner again)")):
        c = command(name, run, verb)
        c.add_argument("person")
        c.add_argument("role", choices=[r for r in ROLES if name == "give-role" or r != "learner"])
    c = command("issue-token", cmd_issue_token, "a new API token for a person (printed once; only its hash is kept)")
    c.add_argument("person")
    c.add_argument("--days", type=int, help="how long it stays valid (default API_TOKEN_DAYS, 90)")
    c = command("tokens", cmd_tokens, "a person's API tokens: when issued, until when valid, or when revoked")
    c.add_argument("person")
    c = command("revoke-token", cmd_revoke_token, "revoke a person's tokens at once (all of them, or one with --id)")
    c.add_argument("person")
    c.add_argument("--id", type=int, help="only this token (its number in `tokens`)")
    c = command("link", cmd_link, "link a Slack or Teams account to a person, so their messages there are theirs")
    c.add_argument("person")
    c.add_argument("channel", choices=[ch for ch in CHANNELS if ch in people.ACCOUNT_SHAPES])
    c.add_argument("account", help="; ".join(f"{ch}: {shape}" for ch, shape in people.ACCOUNT_SHAPES.items()))
    c.add_argument("--move", action="store_true", help="move the account from the person it is linked to now")
    return top


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parser().parse_args(argv)
    url = database_url(args.database)
    try:
        migrate(url)  # idempotent: the command line works before the first `make run`
        out = transaction(lambda session: args.run(session, args), url)
    except (UsageError, RecordsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        print(f"error: the records database at {_safe_url(url)} cannot be reached "
              f"({type(error.orig).__name__}). Is it running, and is DATABASE_URL right?", file=sys.stderr)
        return 3
    out, note = out if isinstance(out, tuple) else (out, None)
    if note:
        print(note, file=sys.stderr)
    print(out)
    return 0
