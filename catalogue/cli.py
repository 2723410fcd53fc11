"""Command line: python -m catalogue build|check|show|search|remaining|export|import.

Exit status: 0 done; 1 `check` found counts that differ from what the texts state;
2 bad input (unknown or ambiguous unit or qualification, malformed reference);
3 a source file could not be parsed (printed as file:line: reason).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
import time
from typing import Optional, Sequence

from catalogue import load_catalogue, lookup, rules
from catalogue.build import EXPECTED_COUNTS, Catalogue, build, describe_difference
from catalogue.errors import SourceError
from catalogue.interchange import FormatError
from catalogue.model import UnitSpec


class UsageError(Exception):
    """Bad input from the user: printed and exit status 2."""


def _load(args) -> Catalogue:
    """The process's cached catalogue, or a fresh build from --sources."""
    return build(args.sources) if args.sources else load_catalogue()


def _candidates(matches) -> str:
    return "; ".join(f"{m.ref} {m.title}" + (f" ({m.source} {m.number})" if m.number else "") for m in matches)


def resolve_unit(cat: Catalogue, text: str, source: Optional[str] = None) -> str:
    found = lookup.find_unit(cat, text, source)
    if found.best:
        return found.best.ref
    if found.ambiguous:
        raise UsageError(f"{text!r} could mean several units: {_candidates(found.candidates)}")
    if found.results:
        raise UsageError(f"no unit clearly matches {text!r} (closest: {_candidates(found.results[:3])})")
    if re.match(r"^\s*[A-Za-z]\s*/\s*\d", text) and not re.fullmatch(r"\s*[A-Za-z]/\d{3}/\d{4}\s*", text):
        raise UsageError(f"{text!r} is not a well-formed unit reference (a URN looks like K/506/2155)")
    raise UsageError(f"no unit matches {text!r}")


def resolve_qualification(cat: Catalogue, text: str, include_pool: bool = False) -> str:
    if text in cat.sources and (include_pool or cat.sources[text].qualification):
        return text
    found = lookup.find_qualification(cat, text, include_pool)
    if found.best:
        return found.best.source
    if found.ambiguous:
        names = "; ".join(f"{m.source} ({m.name})" for m in found.results[:3])
        raise UsageError(f"{text!r} could mean several qualifications: {names}")
    known = ", ".join(d.id for d in cat.qualifications())
    raise UsageError(f"no qualification matches {text!r} (known: {known})")


# --- commands --------------------------------------------------------------------------------


def cmd_build(args) -> int:
    start = time.perf_counter()
    cat = build(args.sources)  # always a fresh build: this is what is timed
    took = time.perf_counter() - start
    print(f"Built the catalogue in {took * 1000:.0f} ms: {len(cat.units)} units across {len(cat.sources)} sources, "
          f"{len(cat.differences)} differences between sources "
          f"({sum(not d.minor for d in cat.differences)} of wording or value, the rest case/quotes/punctuation).")
    _print_counts(cat, compare=False)
    return 0


def _print_counts(cat: Catalogue, compare: bool) -> bool:
    """A table of counts per source; with compare, each against EXPECTED_COUNTS. True if all match."""
    ok = True
    fields = ("units", "outcomes", "criteria", "evidence_lists")
    print(f"  {'source':<9}" + "".join(f"{f:>22}" for f in fields))
    for sid, counts in cat.counts().items():
        cells = []
        for f in fields:
            want = EXPECTED_COUNTS.get(sid, {}).get(f)
            cell = str(counts[f])
            if compare and want is not None:
                cell += " ok" if counts[f] == want else f" (expected {want})"
                ok &= counts[f] == want
            cells.append(cell)
        print(f"  {sid:<9}" + "".join(f"{c:>22}" for c in cells))
    return ok


def cmd_check(args) -> int:
    cat = _load(args)
    print("Counts per source against what each text states:")
    ok = _print_counts(cat, compare=True)
    major = [d for d in cat.differences if not d.minor]
    minor = [d for d in cat.differences if d.minor]
    print(f"\nDifferences between sources about the same unit: {len(major)} of wording or value, "
          f"{len(minor)} minor (case, quotes, hyphenation or a trailing full stop only).")
    for d in major:
        print("  " + describe_difference(d))
    print("Minor:")
    for d in minor:
        print("  " + describe_difference(d))
    print("\nAll counts as stated." if ok else "\nSome counts differ from what the texts state.")
    return 0 if ok else 1


def _spec_line(cat: Catalogue, s: UnitSpec) -> str:
    group = cat.group_of(s.source, s.ref)
    bits = [f"unit {s.number}" if s.number else None, f"Group {group.id}" if group else None,
            f"level {s.level}", f"{s.credits} credits", f"{s.glh} GLH" if s.glh is not None else "GLH not stated",
            f"{len(s.outcomes)} outcomes", f"{len(s.criteria)} criteria", f"line {s.line}"]
    return f"  {cat.sources[s.source].short_name} [{s.source}]: {s.title!r}; " + ", ".join(b for b in bits if b)


def show_unit(cat: Catalogue, ref: str, source: Optional[str]) -> None:
    unit = cat.unit(ref)
    print(f"{ref}  {unit.title}")
    for s in unit.specs.values():
        print(_spec_line(cat, s))
    for d in cat.differences_for(ref):
        if not d.minor:
            print("  Differs: " + describe_difference(d))
    minor = sum(d.minor for d in cat.differences_for(ref))
    if minor:
        print(f"  ({minor} minor wording differences: case, quotes or punctuation)")
    if source and source not in unit.specs:
        raise UsageError(f"{ref} is not in {cat.source(source).short_name}")
    spec = unit.specs[source] if source else unit.spec()
    print(f"\nAs in {cat.sources[spec.source].short_name}:")
    for o in spec.outcomes:
        print(f"  {o.number}. {o.text}")
        for c in o.criteria:
            print(f"      {c.ref} {c.text}")
    if spec.knowledge:
        print("  Knowledge and understanding:")
        for c in spec.knowledge:
            print(f"      {c.ref} {c.text}")


def show_qualification(cat: Catalogue, sid: str) -> None:
    doc = cat.source(sid)
    q = doc.qualification
    if q is None:
        print(f"{doc.short_name} [{sid}]: a unit pool with no rules of combination; {len(doc.units)} units.")
        for u in doc.units:
            print(f"  {u.number or '':>8} {u.ref:<11} L{u.level} {u.credits:>2} cr  {u.title}")
        return
    print(f"{q.title} [{sid}]")
    facts = [("Awarding body", q.awarding_body), ("Number", q.number or "not stated"), ("Level", q.level),
             ("Framework", q.framework), ("Credits", q.credits), ("GLH", q.glh or "not stated"),
             ("TQT", q.tqt or "not stated"), ("Status", q.status)]
    for name, value in facts:
        if value is not None:
            print(f"  {name}: {value}")
    rs = q.rules
    if rs:
        print(f"  Rules of combination: {rs.text}")
        for g in rs.groups:
            print(f"  {g.label}")
            for ref in g.units:
                s = cat.spec(ref, sid)
                print(f"    {s.number or '':>3} {ref:<11} L{s.level} {s.credits:>2} {rs.credit_name[:2]}  {s.title}")


def cmd_show(args) -> int:
    cat = _load(args)
    text = " ".join(args.what)
    source = resolve_qualification(cat, args.source, include_pool=True) if args.source else None
    unit = lookup.find_unit(cat, text, source)
    exact_unit = unit.best is not None and unit.best.how in ("ref", "number") and unit.best.score >= 100
    qual = lookup.find_qualification(cat, text, include_pool=True)
    if not exact_unit and (text in cat.sources or (qual.best is not None and qual.best.score >= 60)):
        show_qualification(cat, text if text in cat.sources else qual.best.source)
        return 0
    show_unit(cat, resolve_unit(cat, text, source), source)
    return 0


def cmd_search(args) -> int:
    cat = _load(args)
    text = " ".join(args.text)
    source = resolve_qualification(cat, args.source, include_pool=True) if args.source else None
    units = lookup.find_unit(cat, text, source, limit=8)
    print(f"Units for {text!r}" + (" (ambiguous: ask which one)" if units.ambiguous else "") + ":")
    for m in units.results:
        where = f" [{m.source} {m.number}]" if m.number else ""
        print(f"  {m.score:5.1f} {m.ref:<11} {m.title}{where} ({m.how})")
    if not units.results:
        print("  none")
    many = lookup.extract_unit_refs(cat, text, source)
    if len(many) > 1:
        print("Several units in the text: " + "; ".join(
            x.best.ref if x.best else f"{x.query!r}?" for x in many))
    quals = lookup.find_qualification(cat, text, include_pool=True)
    if quals.results:
        print("Qualifications: " + "; ".join(f"{m.source} {m.score:.0f}" for m in quals.results))
    ev = lookup.find_evidence_type(cat, text, source)
    if ev.key:
        print(f"Evidence type: {ev.key} - " + "; ".join(f"{e.name} ({e.citation.label(cat.sources)})" for e in ev.entries))
    for term in lookup.find_term(cat, text):
        print(f"Glossary: {term.term}: {term.definition} ({term.citation.label(cat.sources)})")
    return 0


def cmd_remaining(args) -> int:
    cat = _load(args)
    sid = resolve_qualification(cat, args.qualification)
    refs = [resolve_unit(cat, u, sid) for u in args.units]
    result = rules.remaining(cat, sid, refs, minimise=args.minimise, limit=args.limit)
    from bot.domain.answers.remaining import summary  # the one renderer of a report; kept out of catalogue/
    print(summary(cat, result))
    return 0


def cmd_export(args) -> int:
    from catalogue import interchange

    cat = _load(args)
    sid = resolve_qualification(cat, " ".join(args.id), include_pool=True)
    text = interchange.dumps(cat.source(sid))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_import(args) -> int:
    """Validate a document (JSON or .xlsx); unless --check, add it to the records database, where
    the running API, action servers and bot pick it up at once (bot/records/catalogue.py)."""
    from catalogue import interchange, spreadsheet

    doc = spreadsheet.load(args.file) if args.file.lower().endswith(".xlsx") else interchange.load(args.file)
    cat = Catalogue({**_load(args).sources, doc.id: doc})  # the merged catalogue must build too
    spec = cat.source(doc.id)
    print(f"{args.file}: valid: {doc.id} ({spec.short_name}), {len(spec.units)} units, "
          f"{sum(len(u.criteria) for u in spec.units)} criteria")
    if args.check:
        return 0
    from bot.domain.errors import RecordsError
    from bot.records import catalogue as catalogues
    from bot.records.db import migrate, transaction

    from sqlalchemy.exc import SQLAlchemyError

    try:
        migrate(args.database)
        done = transaction(lambda session: catalogues.import_document(session, doc, None, Path(args.file).name),
                           args.database)
    except RecordsError as error:
        raise UsageError(f"{args.file}: refused, nothing imported: {error.message}") from None
    except SQLAlchemyError as error:
        print(f"error: the records database is not available ({type(error).__name__}); nothing imported",
              file=sys.stderr)
        return 3
    if done.changed:
        print(f"imported: {done.source_id} version {done.version}; served from now on by every running process")
    else:
        print(f"unchanged: {done.source_id} is already served exactly as in this file; nothing added")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m catalogue", description=__doc__.splitlines()[0])
    parser.add_argument("--sources", help="directory of the source texts (default: catalogue/sources)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="parse every source and print counts and time")
    sub.add_parser("check", help="counts against the texts, and every difference between sources")
    p = sub.add_parser("show", help="a unit (every source's view) or a qualification (rules, groups)")
    p.add_argument("what", nargs="+", help="URN, SQA code, unit number, title words or qualification name")
    p.add_argument("--source", help="the source whose unit number or text to use")
    p = sub.add_parser("search", help="units, qualifications, evidence types and verbs matching text")
    p.add_argument("text", nargs="+")
    p.add_argument("--source")
    p = sub.add_parser("remaining", help="what is still needed to complete a qualification")
    p.add_argument("qualification", help='e.g. sfj-l2, "level 2 diploma", "the SVQ"')
    p.add_argument("units", nargs="*", help="units achieved or planned (refs, numbers or quoted titles)")
    p.add_argument("--minimise", choices=("credits", "glh"), default="credits")
    p.add_argument("--limit", type=int, default=3)
    p = sub.add_parser("export", help="a qualification or unit pool in the interchange format (JSON)")
    p.add_argument("id", nargs="+", help="source id (sfj-l2) or qualification name")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p = sub.add_parser("import", help="validate a catalogue document (JSON, or the .xlsx template) and add it to "
                                      "the records database")
    p.add_argument("file")
    p.add_argument("--check", action="store_true", help="only validate; add nothing")
    p.add_argument("--database", help="records database URL (default: DATABASE_URL, else SQLite under var/)")
    args = parser.parse_args(argv)
    commands = {"build": cmd_build, "check": cmd_check, "show": cmd_show, "search": cmd_search,
                "remaining": cmd_remaining, "export": cmd_export, "import": cmd_import}
    try:
        return commands[args.command](args)
    except SourceError as e:
        print(f"error: {e.file}:{e.line}: {e.reason}", file=sys.stderr)
        return 3
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except FormatError as e:
        print(f"error: {args.file}: refused, nothing imported: {e}", file=sys.stderr)
        return 2
    except FileNotFoundError as e:
        print(f"error: {e.filename}: no such file", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
