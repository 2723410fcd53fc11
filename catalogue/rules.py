"""Rules of combination: is a set of units a valid route, and what is the cheapest way to finish it?

Semantics (one place, used by check and by the search):

* A unit counts only if it is in one of the qualification's groups; each unit counts once.
  Its level, credits and GLH are those printed in the qualification's own specification.
* Mandatory group: every unit must be achieved.
* A group's `min_credits`/`min_units` must be met. Credits beyond a group's `max_credits`
  do not count, neither towards the group nor the total (they are not a violation).
* Total counted credits >= `min_credits`.
* Level rule (`level_credits = (L, N)`): at least N counted credits from units at level L or
  above. Where a group is over its maximum, the credits that do not count are taken from its
  lower-level units first (the reading most favourable to the learner; the specs are silent).
* `total_units` / `optional_units` are exact numbers of units (the SVQ: 8 units, 6 optional);
  more units than that is a violation, not a surplus.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from catalogue.model import Group, RuleSet, SourceDocument, UnitSpec
from catalogue.text import compact

INF = 10**9


@dataclass(slots=True)
class Rejected:
    ref: str
    reason: str


@dataclass(slots=True)
class GroupStatus:
    id: str
    label: str
    mandatory: bool
    units: list[str]  # achieved units of this group, in the order given
    credits: int  # raw sum of their credits
    counted: int  # credits that count (capped at max_credits)
    min_credits: Optional[int]
    max_credits: Optional[int]
    shortfall: int  # credits still needed for min_credits
    max_reached: bool  # counted == max_credits: more units here add nothing
    over_max: int  # credits beyond max_credits that do not count
    min_units: Optional[int]
    max_units: Optional[int]
    unit_shortfall: int  # units still needed for min_units
    missing: list[str]  # mandatory units not yet achieved

    @property
    def met(self) -> bool:
        return not self.shortfall and not self.unit_shortfall and not self.missing and (
            self.max_units is None or len(self.units) <= self.max_units)


@dataclass(slots=True)
class LevelStatus:
    level: int
    required: int
    counted: int
    shortfall: int


@dataclass(slots=True)
class Report:
    source: str
    qualification: str
    credit_name: str
    valid: bool
    violations: list[str]  # plain English, one per unmet rule
    notes: list[str]  # things that are not violations (credits over a maximum)
    accepted: list[str]
    rejected: list[Rejected]
    groups: list[GroupStatus]
    credits: int  # counted total
    min_credits: Optional[int]
    shortfall: int
    level: Optional[LevelStatus]
    units: int  # accepted units
    total_units: Optional[int]
    optional_units: Optional[int]
    optional_count: int  # accepted units outside mandatory groups


@dataclass(slots=True)
class Suggestion:
    units: list[str]  # refs to add, mandatory first then by group
    credits: int  # extra credits (raw)
    glh: Optional[int]  # extra GLH; None where a unit states none
    total_credits: int  # counted total after adding them
    by_group: dict[str, list[str]]
    minimised: str  # "credits" or "glh"


@dataclass(slots=True)
class Remaining:
    report: Report
    suggestions: list[Suggestion]
    minimise: str
    possible: bool  # False when no set of additional units can complete the qualification
    note: Optional[str] = None


# --- compiled rules (cached on the catalogue) -------------------------------------------


@dataclass(slots=True)
class _Rules:
    doc: SourceDocument
    rs: RuleSet
    groups: list[Group]
    group_of: dict[str, int]  # ref -> group index
    specs: dict[str, UnitSpec]  # ref -> this source's spec
    by_compact: dict[str, str]
    level: Optional[int]
    level_min: int


def _compiled(cat, source_id: str) -> _Rules:
    key = ("rules", source_id)
    rules = cat.cache.get(key)
    if rules is None:
        doc = cat.source(source_id)
        if doc.qualification is None or doc.qualification.rules is None:
            raise ValueError(f"{doc.short_name} has no rules of combination (it is a unit pool, not a qualification)")
        rs = doc.qualification.rules
        specs = {u.ref: u for u in doc.units}
        group_of = {}
        for i, g in enumerate(rs.groups):
            for ref in g.units:
                if ref in group_of:
                    raise ValueError(f"{source_id}: unit {ref} is in two groups")
                if ref not in specs:
                    raise ValueError(f"{source_id}: group {g.id} lists {ref}, which has no unit spec")
                group_of[ref] = i
        level, level_min = rs.level_credits if rs.level_credits else (None, 0)
        rules = _Rules(doc, rs, list(rs.groups), group_of, specs, {compact(r): r for r in group_of}, level, level_min)
        cat.cache[key] = rules
    return rules


def _sources_naming(cat, ref: str) -> str:
    unit = cat.unit(ref)
    names = [cat.sources[s].short_name for s in unit.specs] if unit else []
    return ", ".join(names)


# --- check -------------------------------------------------------------------------------


def _partition(cat, r: _Rules, refs: Iterable[str]) -> tuple[list[str], list[Rejected]]:
    accepted, rejected, seen = [], [], set()
    for raw in refs:
        ref = raw if raw in r.group_of else r.by_compact.get(compact(raw))
        if ref is None:
            known = next((u for u in cat.units if compact(u) == compact(raw)), None)
            if known:
                rejected.append(Rejected(known, f"not in this qualification (it is in {_sources_naming(cat, known)})"))
            else:
                rejected.append(Rejected(raw, "not a unit in any of the specifications"))
        elif ref in seen:
            rejected.append(Rejected(ref, "listed more than once; it counts once"))
        else:
            seen.add(ref)
            accepted.append(ref)
    return accepted, rejected


def _group_counts(r: _Rules, refs: Iterable[str]):
    """Per group: raw credits, credits of units at/above the level rule's level, unit count."""
    n = len(r.groups)
    raw, lev, cnt = [0] * n, [0] * n, [0] * n
    for ref in refs:
        g = r.group_of[ref]
        spec = r.specs[ref]
        raw[g] += spec.credits
        cnt[g] += 1
        if r.level is not None and spec.level >= r.level:
            lev[g] += spec.credits
    return raw, lev, cnt


def _title(r: _Rules, ref: str) -> str:
    return f"{ref} {r.specs[ref].title}"


def check(cat, source_id: str, refs: Iterable[str]) -> Report:
    """Check achieved/planned units against a qualification's rules of combination."""
    r = _compiled(cat, source_id)
    rs, cn = r.rs, r.rs.credit_name
    accepted, rejected = _partition(cat, r, refs)
    raw, lev, cnt = _group_counts(r, accepted)
    violations, notes, groups = [], [], []
    total = level_total = optional_count = 0
    members: list[list[str]] = [[] for _ in r.groups]
    for ref in accepted:
        members[r.group_of[ref]].append(ref)
    for i, g in enumerate(r.groups):
        units = members[i]
        cap = g.max_credits if g.max_credits is not None else INF
        counted = min(raw[i], cap)
        total += counted
        level_total += min(lev[i], counted)
        if not g.mandatory:
            optional_count += cnt[i]
        missing = []
        if g.mandatory and len(units) < len(g.units):
            have = set(units)
            missing = [ref for ref in g.units if ref not in have]
        shortfall = max(0, (g.min_credits or 0) - counted)
        unit_short = max(0, (g.min_units or 0) - cnt[i])
        over = raw[i] - counted
        st = GroupStatus(g.id, g.label, g.mandatory, units, raw[i], counted, g.min_credits, g.max_credits, shortfall,
                         g.max_credits is not None and counted >= g.max_credits, over, g.min_units, g.max_units,
                         unit_short, missing)
        groups.append(st)
        name = f"Group {g.id}"
        if missing:
            violations.append(f"{name} is mandatory: {len(missing)} of its {len(g.units)} units not achieved yet "
                              f"({'; '.join(_title(r, m) for m in missing)}).")
        # For a mandatory group the missing units say it all; its credit/unit minimums follow from them.
        if shortfall and not missing:
            violations.append(f"{name} needs at least {g.min_credits} {cn}; {counted} so far ({shortfall} short).")
        if unit_short and not missing:
            violations.append(f"{name} needs at least {g.min_units} unit{'s' if g.min_units != 1 else ''}; "
                              f"{cnt[i]} so far.")
        if g.max_units is not None and cnt[i] > g.max_units:
            violations.append(f"{name} allows at most {g.max_units} units; {cnt[i]} chosen.")
        if over:
            notes.append(f"{name} counts at most {g.max_credits} {cn}: {over} of its {raw[i]} {cn} do not count.")
    for barred in rs.barred:
        if set(barred) <= set(accepted):
            violations.append(f"These units may not be combined: {'; '.join(_title(r, ref) for ref in barred)}.")
    min_total = rs.min_credits
    shortfall = max(0, (min_total or 0) - total)
    if shortfall:
        violations.append(f"At least {min_total} {cn} are needed in total; {total} count so far ({shortfall} short).")
    level = None
    if r.level is not None:
        level = LevelStatus(r.level, r.level_min, level_total, max(0, r.level_min - level_total))
        if level.shortfall:
            violations.append(f"At least {r.level_min} {cn} must come from units at level {r.level} or above; "
                              f"{level_total} so far ({level.shortfall} short).")
    n_units = len(accepted)
    if rs.total_units is not None and n_units != rs.total_units:
        more = "more" if n_units < rs.total_units else "too many"
        violations.append(f"Exactly {rs.total_units} units are needed; {n_units} chosen "
                          f"({abs(rs.total_units - n_units)} {more}).")
    if rs.optional_units is not None and optional_count != rs.optional_units:
        more = "more" if optional_count < rs.optional_units else "too many"
        violations.append(f"Exactly {rs.optional_units} optional units are needed; {optional_count} chosen "
                          f"({abs(rs.optional_units - optional_count)} {more}).")
    q = r.doc.qualification
    return Report(source_id, q.title, cn, not violations, violations, notes, accepted, rejected, groups, total,
                  min_total, shortfall, level, n_units, rs.total_units, rs.optional_units, optional_count)


# --- suggest -----------------------------------------------------------------------------


class _Search:
    """Exact k-best branch and bound over sets of additional units.

    Candidates (units not yet achieved; missing mandatory units are forced in) are visited
    as combinations in a fixed order, so completions are found in lexicographic order of
    their candidate positions, which breaks ties between equal costs. A node is cut when
    its admissible lower bound on the extra cost exceeds the round's budget (IDA*) or
    cannot beat the k-th best completion found so far. Only inclusion-minimal completions
    are kept: dropping any added unit makes the set invalid.
    """

    def __init__(self, r: _Rules, accepted: list[str], minimise: str, limit: int):
        self.limit = limit
        rs, groups = r.rs, r.groups
        self.G = len(groups)
        self.minc = [g.min_credits or 0 for g in groups]
        self.maxc = [g.max_credits if g.max_credits is not None else INF for g in groups]
        self.minu = [g.min_units or 0 for g in groups]
        self.maxu = [g.max_units if g.max_units is not None else INF for g in groups]
        self.optional = [not g.mandatory for g in groups]
        self.T = rs.min_credits or 0
        self.N = r.level_min
        self.TU = rs.total_units if rs.total_units is not None else INF
        self.OU = rs.optional_units if rs.optional_units is not None else INF
        self.counts_units = any(self.minu) or self.TU != INF or self.OU != INF

        def cost(ref: str) -> int:
            s = r.specs[ref]
            return s.credits if minimise == "credits" else s.glh

        chosen = set(accepted)
        self.forced = [ref for g in groups if g.mandatory for ref in g.units if ref not in chosen]
        self.raw, self.lev, self.cnt = _group_counts(r, accepted + self.forced)
        # Barred combinations (rs.barred): a unit that would complete one with the units already in is
        # never a candidate, and a completion holding one is not kept (any superset holds it too).
        self.barred = [set(b) for b in rs.barred]
        held = self.held = chosen | set(self.forced)
        self.blocked = any(b <= held for b in self.barred)
        cands = [ref for ref in r.group_of if ref not in chosen and ref not in self.forced
                 and not any(ref in b and b - {ref} <= held for b in self.barred)]
        # Cheapest per credit first inside each group, groups in rule order: good completions come early.
        cands.sort(key=lambda ref: (r.group_of[ref], cost(ref) / max(1, r.specs[ref].credits), cost(ref), ref))
        self.cands = cands
        n = self.n = len(cands)
        self.cg = [r.group_of[c] for c in cands]
        self.ck = [r.specs[c].credits for c in cands]
        self.cl = [r.specs[c].credits if r.level is not None and r.specs[c].level >= r.level else 0 for c in cands]
        self.cc = [cost(c) for c in cands]
        # What candidates j.. can still supply, per group.
        G = self.G
        self.av_k = [[0] * G for _ in range(n + 1)]
        self.av_l = [[0] * G for _ in range(n + 1)]
        self.av_u = [[0] * G for _ in range(n + 1)]
        for j in range(n - 1, -1, -1):
            g = self.cg[j]
            for t in (self.av_k, self.av_l, self.av_u):
                t[j] = list(t[j + 1])
            self.av_k[j][g] += self.ck[j]
            self.av_l[j][g] += self.cl[j]
            self.av_u[j][g] += 1
        # With credits as the cost every rate is 1 and the credit deficits are the bound; with
        # GLH the bound is the fractional (LP) cover of each deficit, cheapest rate first.
        self.fractional = minimise != "credits"
        order = sorted(range(n), key=lambda i: (self.cc[i] / max(1, self.ck[i]), i))
        self.by_rate = [(self.cc[i] / max(1, self.ck[i]), self.ck[i], self.cg[i], self.cl[i], i) for i in order]
        self.by_cost = sorted((self.cc[i], i, self.cg[i]) for i in range(n))
        self.best: list[tuple[int, int, list[int]]] = []  # (cost, found order, candidate indexes)
        self.found = 0
        self.path: list[int] = []
        self.budget = self.next_budget = float("inf")

    def _eval(self, j: int) -> float:
        """-1 if the current set is valid; otherwise an admissible lower bound on the extra cost
        of completing it with candidates j.. (inf if they cannot)."""
        raw, lev, cnt, maxc, minc = self.raw, self.lev, self.cnt, self.maxc, self.minc
        av_k, av_l = self.av_k[j], self.av_l[j]
        total = level = units = opt = sum_def = reach_t = reach_l = 0
        unit_def = None
        for g in range(self.G):
            c = raw[g] if raw[g] < maxc[g] else maxc[g]
            total += c
            level += lev[g] if lev[g] < c else c
            units += cnt[g]
            if self.optional[g]:
                opt += cnt[g]
            if cnt[g] > self.maxu[g]:
                return INF
            top = raw[g] + av_k[g]
            if top > maxc[g]:
                top = maxc[g]
            if c < minc[g]:
                if top < minc[g]:
                    return INF
                sum_def += minc[g] - c
            u = self.minu[g] - cnt[g]
            if u > 0:
                if u > self.av_u[j][g]:
                    return INF
                unit_def = unit_def or {}
                unit_def[g] = u
            reach_t += top
            lv = lev[g] + av_l[g]
            reach_l += lv if lv < top else top
        if unit_def:  # the units still needed for group minimums must fit the exact totals
            owed = sum(unit_def.values())
            owed_opt = sum(u for g, u in unit_def.items() if self.optional[g])
            if units + owed > self.TU or opt + owed_opt > self.OU:
                return INF
        if units > self.TU or opt > self.OU:
            return INF
        d_t, d_l = self.T - total, self.N - level
        d_u = max(self.TU - units if self.TU != INF else 0, self.OU - opt if self.OU != INF else 0)
        if not sum_def and d_t <= 0 and d_l <= 0 and not unit_def and d_u <= 0:
            return -1
        if reach_t < self.T or reach_l < self.N:
            return INF
        bound = max(sum_def, d_t, d_l, 0)
        if self.fractional and bound:
            bound = math.ceil(self._lp_bound(j, d_t, d_l) - 1e-9)  # costs are whole numbers
        if unit_def or d_u > 0:
            bound = max(bound, self._unit_bound(j, unit_def or {}, d_u))
        return bound

    def _lp_bound(self, j: int, need_t: int, need_l: int) -> float:
        """The LP relaxation, cheapest rate first: each group's credit deficit from its own
        candidates, then the rest of the total deficit from what is left (within each group's
        maximum). The level deficit is covered on its own; the bound is the larger cost."""
        G = self.G
        d, room = [0] * G, [0] * G
        for g in range(G):
            c = self.raw[g] if self.raw[g] < self.maxc[g] else self.maxc[g]
            d[g] = self.minc[g] - c if self.minc[g] > c else 0
            room[g] = self.maxc[g] - c  # credits this group can still add that count
        cost = cost_l = 0.0
        used: dict[int, int] = {}
        need_g = sum(d)
        if need_g:
            for rate, k, g, _, i in self.by_rate:
                if i < j or d[g] <= 0:
                    continue
                take = k if k < d[g] else d[g]
                d[g] -= take
                need_g -= take
                need_t -= take
                room[g] -= take
                used[i] = take
                cost += take * rate
                if need_g <= 0:
                    break
            if need_g > 0:
                return INF
        for rate, k, g, kl, i in self.by_rate:
            if i < j:
                continue
            if need_t > 0 and room[g] > 0:
                take = min(k - used.get(i, 0), need_t, room[g])
                if take > 0:
                    room[g] -= take
                    need_t -= take
                    cost += take * rate
            if need_l > 0 and kl:
                take = kl if kl < need_l else need_l
                need_l -= take
                cost_l += take * rate
            if need_t <= 0 and need_l <= 0:
                break
        if need_t > 0 or need_l > 0:
            return INF
        return max(cost, cost_l)

    def _unit_bound(self, j: int, unit_def: dict[int, int], d_u: int) -> float:
        """Each group's missing units at its cheapest, plus the remaining number of units
        (for an exact total) at the cheapest overall."""
        left = dict(unit_def)
        extra = max(0, d_u - sum(unit_def.values()))
        bound = 0
        for c, i, g in self.by_cost:
            if i < j:
                continue
            if left.get(g, 0) > 0:
                left[g] -= 1
                bound += c
            elif extra > 0:  # a unit not needed for a group minimum fills the count
                extra -= 1
                bound += c
            if extra <= 0 and not any(v > 0 for v in left.values()):
                return bound
        return INF

    def _add(self, j: int, sign: int) -> None:
        g = self.cg[j]
        self.raw[g] += sign * self.ck[j]
        self.lev[g] += sign * self.cl[j]
        self.cnt[g] += sign

    def _barred(self, j: int) -> bool:
        """Whether the units held, the path and candidate j together hold a barred combination."""
        units = self.held | {self.cands[i] for i in self.path} | {self.cands[j]}
        return any(b <= units for b in self.barred)

    def _minimal(self) -> bool:
        for j in self.path[:-1]:  # the last one was added because the set was not yet valid
            self._add(j, -1)
            still = self._eval(self.n) == -1
            self._add(j, +1)
            if still:
                return False
        return True

    def run(self) -> list[tuple[int, list[int]]]:
        """Rounds of depth-first search under a cost budget (IDA*), starting from the root bound."""
        budget = self._eval(0)
        if self.blocked:
            return []
        if budget == -1:
            return [(0, [])]
        # (next candidate, group counts) -> extra cost within which no valid set exists from
        # there. Validity depends on the counts only, so different paths share it (and rounds
        # do too); this is what makes GLH searches with many equal sums affordable.
        self.dead: dict[tuple, float] = {}
        while budget != INF:
            self.best, self.found, self.next_budget, self.budget = [], 0, INF, budget
            self._dfs(0, 0)
            if len(self.best) >= self.limit or self.next_budget == INF:
                break
            # Exact IDA* would raise the budget to the next bound; GLH bounds take many small
            # steps, so grow by at least 5% (the k-th best still cuts inside a round).
            budget = max(self.next_budget, budget * 1.05)
        return [(c, p) for c, _, p in self.best]

    def _limit(self) -> float:
        """Explore costs up to this: the round's budget, and below the k-th best once there are k."""
        if len(self.best) >= self.limit:
            return min(self.budget, self.best[-1][0] - 1)  # costs are whole numbers
        return self.budget

    def _dfs(self, start: int, cost: int) -> bool:
        """Explore additions from candidate `start`; True if any valid set was reached."""
        reached = False
        last_group = -1
        for j in range(start, self.n):
            limit = self._limit()
            if self.cg[j] != last_group:
                # Entering a group: the bound with candidates j.. only grows with j, so if it
                # already fails, no later child can succeed.
                last_group = self.cg[j]
                f = cost + self._eval(j)
                if f > limit:
                    if self.budget < f < self.next_budget:
                        self.next_budget = f
                    return reached
            c = cost + self.cc[j]
            self._add(j, +1)
            e = self._eval(j + 1)
            f = c if e == -1 else c + e
            if f > limit:
                if self.budget < f < self.next_budget:
                    self.next_budget = f
            elif e == -1 and self.barred and self._barred(j):
                pass
            elif e == -1:
                reached = True
                self.path.append(j)
                if self._minimal():
                    self.found += 1
                    self.best.append((c, self.found, list(self.path)))
                    self.best.sort()
                    del self.best[self.limit:]
                self.path.pop()
            else:
                key = (j + 1, *self.raw, *self.lev, *self.cnt)
                room = limit - c
                known = self.dead.get(key, -1.0) if not self.barred else -1.0  # counts alone miss a barred pair
                if known >= room:
                    nxt = c + math.floor(known) + 1
                    if self.budget < nxt < self.next_budget:
                        self.next_budget = nxt
                else:
                    self.path.append(j)
                    if self._dfs(j + 1, c):
                        reached = True
                    else:
                        self.dead[key] = room
                    self.path.pop()
            self._add(j, -1)
        return reached


def _glh_known(r: _Rules) -> bool:
    return all(r.specs[ref].glh is not None for ref in r.group_of)


def suggest(cat, source_id: str, refs: Iterable[str], minimise: str = "credits", limit: int = 3) -> list[Suggestion]:
    """Up to `limit` sets of additional units that complete the qualification, cheapest first
    (fewest extra credits, or GLH), each inclusion-minimal. Exact, not a heuristic.
    [] if the units already complete it or nothing can (see `remaining` for which)."""
    if minimise not in ("credits", "glh"):
        raise ValueError(f"minimise must be 'credits' or 'glh', not {minimise!r}")
    r = _compiled(cat, source_id)
    if minimise == "glh" and not _glh_known(r):
        minimise = "credits"  # the SVQ states no GLH; credit points are the only size it gives
    accepted, _ = _partition(cat, r, refs)
    search = _Search(r, accepted, minimise, max(1, limit))
    out = []
    for _, path in search.run():
        added = search.forced + [search.cands[j] for j in path]
        if not added:
            continue
        raw, _, _ = _group_counts(r, accepted + added)
        total = sum(min(raw[i], g.max_credits if g.max_credits is not None else INF) for i, g in enumerate(r.groups))
        by_group: dict[str, list[str]] = {}
        for ref in added:
            by_group.setdefault(r.groups[r.group_of[ref]].id, []).append(ref)
        glhs = [r.specs[ref].glh for ref in added]
        out.append(Suggestion(added, sum(r.specs[ref].credits for ref in added),
                              None if None in glhs else sum(glhs), total, by_group, minimise))
    return out


def remaining(cat, source_id: str, refs: Sequence[str], minimise: str = "credits", limit: int = 3) -> Remaining:
    """check() plus suggestions: what is still needed and the cheapest ways to get there."""
    refs = list(refs)
    report = check(cat, source_id, refs)
    if report.valid:
        return Remaining(report, [], minimise, True, "These units complete the qualification.")
    suggestions = suggest(cat, source_id, refs, minimise, limit)
    note = None
    if not suggestions:
        note = "No set of additional units can complete the qualification from these units (too many units chosen)."
    elif minimise == "glh" and suggestions[0].minimised != "glh":
        note = "The specification states no GLH for these units, so the suggestions minimise credits instead."
    return Remaining(report, suggestions, minimise, bool(suggestions), note)
