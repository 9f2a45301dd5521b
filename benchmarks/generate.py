"""Deterministic synthetic case records for the benchmark (`shared/case-format.md`).

Each case is a child on (or recently off) a child protection plan, as a
social care system would export it: a referral and strategy discussion, an
ICPC, core groups, review conferences, statutory visits, the child's voice,
case recording, the plan's actions, the family (fathers included), practice
tools for the child's needs, agency records with their flags, allocated
professionals, assessments, escalations and earlier referrals and step-downs.
Plans run from a few weeks to two years before the as-of date 2024-06-30; the
practice is sometimes good and sometimes not, so every rule of the default
standards gives `met`, `not_met` and `not_applicable` somewhere in a batch.
A case is about 10–15 KB of JSON on average (short plans are smaller).

Case `i` depends only on the seed and `i`, so any number of cases, written as
files or as JSON Lines, holds the same records. Run:

    python benchmarks/generate.py --cases 50000 --out /tmp/cases          # 50,000 .json files
    python benchmarks/generate.py --cases 50000 --out /tmp/cases --jsonl  # one .jsonl file

Every case passes `cp-audit validate`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import date, timedelta
from typing import Any

AS_OF = date(2024, 6, 30)  # the benchmark's --as-of
EARLIEST_START = date(2022, 7, 1)
DEFAULT_SEED = 20240630

Json = dict[str, Any]

FIRST_NAMES = ("Amy", "Ben", "Cara", "Dan", "Evie", "Finn", "Grace", "Harry", "Isla", "Jack",
               "Kai", "Lily", "Mia", "Noah", "Olly", "Poppy", "Ruby", "Sam", "Tia", "Zac")
ADULT_NAMES = ("Jo", "Lee", "Kim", "Sam", "Chris", "Alex", "Pat", "Jess", "Dee", "Mo")
SURNAMES = ("Example", "Sample", "Testcase", "Placeholder", "Fictional", "Synthetic")
NEEDS = ("domestic_abuse", "parental_mental_health", "parental_substance_misuse", "neglect",
         "adhd", "autism", "young_carer", "speech_and_language", "self_harm", "exploitation")
CATEGORIES = ("emotional_abuse", "neglect", "physical_abuse", "sexual_abuse", "multiple",
              "EMO", "NEG")
HEALTH = (("gp", "gp"), ("health_visitor", "community_health"),
          ("school_nurse", "sirona"), ("camhs", "camhs"), ("paediatrician", "acute_trust"))
OTHERS = (("teacher", "school"), ("designated_safeguarding_lead", "school"),
          ("police_officer", "police"), ("family_support_worker", "early_help"),
          ("housing_officer", "housing"), ("domestic_abuse_worker", "idva_service"),
          ("childminder", "childminder"), ("nursery_worker", "nursery"))
STATUSES = ("apologies", "did_not_attend", "declined", "not_invited")
VOICE_METHODS = ("direct_work", "wishes_and_feelings", "observation", "conference",
                 "advocacy", "three_houses", "mind_of_my_own")
VOICE_BY = ("social_worker", "school_nurse", "teacher", "family_support_worker", "advocate")
AGENCIES = ("gp", "school", "police", "community_health", "sirona", "housing", "early_help")
ACTION_TEXTS = (
    ("Mother to complete the Freedom Programme", "domestic_abuse"),
    ("Parents to attend a parenting programme together", "parenting"),
    ("Father to engage with a perpetrator programme", "domestic_abuse"),
    ("Mother to engage with her mental health care coordinator", "parental_mental_health"),
    ("Home conditions to improve: a clean bed and own space for the child", "neglect"),
    ("School to provide a trusted adult and weekly check-ins", "education"),
    ("GP to review the child's health and immunisations", "health"),
    ("Referral to the substance misuse service", "parental_substance_misuse"),
    ("Social worker to complete direct work on the child's wishes and feelings", "voice"),
    ("Family support worker to support routines at bedtime and mornings", "parenting"),
    ("Young carers assessment", None),
    ("CAMHS assessment of the child's emotional wellbeing", "health"),
)
OUTCOMES = (
    "The child reports feeling safe at home",
    "Parents can describe the impact of their behaviour on the child",
    "School attendance above 95 per cent",
    "No further police call-outs to the home",
    None,
)
TIMESCALES = ("ongoing", "by the summer", "as soon as possible", "next review")


class _Case:
    """One case, drawn from its own random stream."""

    def __init__(self, rnd: random.Random, index: int) -> None:
        self.r = rnd
        self.index = index
        # Practice quality: good teams are timely and inclusive, poor ones are not.
        self.quality = rnd.random()

    def good(self, bonus: float = 0.0) -> bool:
        """A practice point done well, more often in a good team."""
        return self.r.random() < 0.35 + 0.6 * self.quality + bonus

    def pick(self, items: tuple[Any, ...]) -> Any:
        return items[self.r.randrange(len(items))]

    def token(self, token: str) -> str:
        """Tokens as exporters write them: mostly snake_case, sometimes spaced or capitalised."""
        roll = self.r.random()
        if roll < 0.9:
            return token
        if roll < 0.95:
            return token.replace("_", " ").title()
        return token.replace("_", "-")

    # -- the whole record ------------------------------------------------

    def build(self) -> Json:
        r = self.r
        weeks = r.choice((r.randint(3, 12), r.randint(12, 52), r.randint(40, 104)))
        start = AS_OF - timedelta(weeks=weeks) + timedelta(days=r.randint(-20, 20))
        start = max(start, EARLIEST_START)
        if r.random() < 0.03:  # the ICPC is booked after the as-of date: no plan yet
            start = AS_OF + timedelta(days=r.randint(3, 12))
        ended = r.random() < 0.25 and weeks > 8 and start < AS_OF
        end = AS_OF - timedelta(days=r.randint(1, min(120, (AS_OF - start).days // 2))) \
            if ended else None
        period_end = end or AS_OF
        age = r.randint(-1, 17)
        child = self.child(age)
        people = self.people()
        ids = [p["id"] for p in people]
        record: Json = {
            "format": 1,
            "case_id": f"BENCH-{self.index:06d}",
            "source": {"agency": "social_care",
                       "system": self.pick(("lcs", "mosaic", "liquidlogic")),
                       "exported": (AS_OF + timedelta(days=1)).isoformat()},
            "child": child,
            "people": people,
        }
        if r.random() < 0.8:
            record["involvement_start"] = (start - timedelta(days=r.randint(30, 3000))).isoformat()
        referral, history = self.referrals(start, record.get("involvement_start"))
        record["referrals"] = [*history, referral]
        if history:
            record["step_downs"] = [
                {"date": (date.fromisoformat(h["date"]) + timedelta(days=r.randint(60, 200)))
                 .isoformat(), "to": self.pick(("early_help", "universal", "closed"))}
                for h in history
            ]
        plans = []
        if r.random() < 0.12:  # an earlier plan, ended before the referral
            old_start = start - timedelta(days=r.randint(400, 900))
            plans.append({"start": old_start.isoformat(),
                          "end": (old_start + timedelta(days=r.randint(90, 300))).isoformat(),
                          "category": self.pick(CATEGORIES),
                          "actions": self.actions(ids, old_start, 3)})
        plan: Json = {"start": start.isoformat(), "category": self.pick(CATEGORIES),
                      "actions": self.actions(ids, start, r.randint(4, 9))}
        if end is not None:
            plan["end"] = end.isoformat()
        elif r.random() < 0.3:
            plan["end"] = None
        plans.append(plan)
        record["plans"] = plans
        record["meetings"] = self.meetings(date.fromisoformat(referral["date"]), start,
                                           period_end, ids, age)
        record["visits"] = self.visits(start, period_end)
        record["child_voice"] = self.child_voice(start, period_end, age)
        record["recording"] = self.recording(start, period_end, ids)
        record["assessments"] = self.assessments(start, ids)
        tools = self.tools(child["needs"], start, period_end)
        if tools:
            record["tools"] = tools
        record["professionals"] = self.professionals(start, period_end)
        record["agency_records"] = self.agency_records(start)
        if r.random() < 0.2:
            day = start + timedelta(days=r.randint(10, max(10, (period_end - start).days)))
            escalation: Json = {"date": min(day, AS_OF).isoformat(),
                                "raised_by": self.pick(AGENCIES)}
            if r.random() < 0.6:
                resolved = min(day + timedelta(days=r.randint(3, 40)), AS_OF)
                escalation["resolved"] = resolved.isoformat()
            record["escalations"] = [escalation]
        if r.random() < 0.3:
            record["x_export_batch"] = f"batch-{self.index // 1000:03d}"
        return record

    # -- the parts ---------------------------------------------------------

    def child(self, age: int) -> Json:
        r = self.r
        child: Json = {"name": f"{self.pick(FIRST_NAMES)} {self.pick(SURNAMES)}"}
        if age < 0:
            due = AS_OF + timedelta(days=r.randint(10, 150))
            child["expected_date_of_birth"] = due.isoformat()
        elif r.random() < 0.95:
            born = AS_OF - timedelta(days=365 * age + r.randint(1, 364))
            child["date_of_birth"] = born.isoformat()
        else:
            child["age_years"] = age
        child["gender"] = self.pick(("female", "male", "male", "female", "unknown", "other"))
        if age >= 0:
            child["communication"] = ("pre_verbal" if age < 2 else
                                      self.pick(("verbal",) * 9 + ("non_verbal",)))
        child["needs"] = [self.token(n) for n in r.sample(NEEDS, r.randint(0, 4))]
        return child

    def people(self) -> list[Json]:
        r = self.r
        surname = self.pick(SURNAMES)
        people: list[Json] = [{"id": "mum", "name": f"{self.pick(ADULT_NAMES)} {surname}",
                               "relationship": "mother", "parental_responsibility": True,
                               "lives_with_child": True}]
        if r.random() < 0.85:
            dad: Json = {"id": "dad", "relationship": self.token("father"),
                         "lives_with_child": r.random() < 0.4}
            if r.random() < 0.9:
                dad["parental_responsibility"] = r.random() < 0.85
            if r.random() < 0.7:
                dad["name"] = f"{self.pick(ADULT_NAMES)} {self.pick(SURNAMES)}"
            people.append(dad)
        if r.random() < 0.35:
            people.append({"id": "stepdad", "relationship": self.pick(("stepfather",
                                                                        "partner_of_parent")),
                           "parental_responsibility": False, "lives_with_child": True})
        for n in range(r.randint(0, 3)):
            people.append({"id": f"sib{n + 1}", "relationship": "sibling",
                           "lives_with_child": r.random() < 0.8})
        if r.random() < 0.25:
            people.append({"id": "nan", "relationship": "grandparent",
                           "lives_with_child": False, "x_contact": "weekly"})
        return people

    def referrals(self, start: date, involvement: str | None) -> tuple[Json, list[Json]]:
        r = self.r
        referral = {"date": (start - timedelta(days=r.randint(14, 35))).isoformat(),
                    "source": self.token(self.pick(("police", "school", "health", "anonymous"))),
                    "outcome": self.pick(("strategy_discussion", "strategy_discussion", "s47"))}
        history: list[Json] = []
        if involvement is not None and r.random() < 0.5:
            first = date.fromisoformat(involvement)
            for _ in range(r.randint(1, 3)):
                first += timedelta(days=r.randint(100, 500))
                if first >= start - timedelta(days=300):
                    break
                history.append({"date": first.isoformat(),
                                "source": self.pick(("school", "police", "health")),
                                "outcome": self.pick(("early_help", "cin", "nfa"))})
        return referral, history

    def actions(self, ids: list[str], start: date, count: int) -> list[Json]:
        r = self.r
        actions = []
        for n, (text, kind) in enumerate(r.sample(ACTION_TEXTS, min(count, len(ACTION_TEXTS)))):
            action: Json = {"id": f"A{n + 1}", "action": text}
            if self.good(0.2):
                action["owner"] = self.pick((*ids, "social_worker", "family_support_worker",
                                             "school", "gp"))
            if self.good(0.1):
                action["due"] = (start + timedelta(days=r.randint(20, 200))).isoformat()
            elif r.random() < 0.6:
                action["timescale"] = self.pick(TIMESCALES)
            outcome = self.pick(OUTCOMES)
            if outcome:
                action["outcome"] = outcome
            if kind:
                action["kind"] = kind
            involved = [i for i in ids if i in ("mum", "dad") and (i == "mum" or self.good())]
            if involved:
                action["involves"] = involved
            actions.append(action)
        return actions

    def professional(self, status_ok: bool = True) -> Json:
        role, agency = self.pick(HEALTH if self.r.random() < 0.5 else OTHERS)
        entry: Json = {"role": self.token(role), "agency": agency}
        if not status_ok:
            entry["status"] = self.pick(STATUSES)
            if self.r.random() < 0.4:
                entry["report"] = True
        elif self.r.random() < 0.15:
            entry["report"] = True
        return entry

    def participants(self, kind: str, ids: list[str], age: int) -> list[Json]:
        r = self.r
        chair = [] if kind == "core_group" else [{"role": "conference_chair",
                                                  "agency": "social_care"}]
        parts: list[Json] = [*chair, {"role": "social_worker", "agency": "social_care"}]
        if self.good():
            role, agency = self.pick(HEALTH)
            parts.append({"role": self.token(role), "agency": agency})
        elif r.random() < 0.5:
            role, agency = self.pick(HEALTH)
            parts.append({"role": role, "agency": agency, "status": self.pick(STATUSES),
                          "report": r.random() < 0.5})
        for _ in range(r.randint(1, 4)):
            parts.append(self.professional(status_ok=r.random() < 0.8))
        if kind != "core_group" and r.random() < 0.3:
            parts.append({"role": "advocate", "agency": "advocacy_service",
                          "status": self.pick(("attended", "apologies")),
                          "report": r.random() < 0.5})
        if kind != "core_group" and r.random() < 0.4:
            parts.append({"role": "gp", "agency": "gp", "status": "apologies", "report": True})
        if 0 <= age < 5 and r.random() < 0.4:
            parts.append({"role": self.pick(("childminder", "nursery_worker")),
                          "agency": "early_years", "status": self.pick(("attended", "apologies"))})
        parts.append({"person": "mum"})
        if "dad" in ids:
            dad: Json = {"person": "dad"}
            if not self.good():
                dad["status"] = self.token("not_invited")
            elif r.random() < 0.3:
                dad["status"] = self.pick(("apologies", "did_not_attend"))
            parts.append(dad)
        if age >= 10 and r.random() < 0.4:
            parts.append({"person": "child", "status": self.pick(("attended", "did_not_attend"))})
        return parts

    def meetings(self, referral: date, start: date, end: date, ids: list[str],
                 age: int) -> list[Json]:
        r = self.r
        meetings: list[Json] = []
        delay = r.randint(0, 2) if self.good(0.1) else r.randint(3, 9)
        strategy = referral + timedelta(days=delay)
        if r.random() < 0.95:
            meetings.append({"type": self.token("strategy_discussion"),
                             "date": strategy.isoformat(),
                             "participants": self.participants("strategy_discussion", ids, age)})
        icpc_type = "transfer_in_conference" if r.random() < 0.05 else "icpc"
        meetings.append({"type": icpc_type if r.random() < 0.9 else icpc_type.upper(),
                         "date": start.isoformat(),
                         "participants": self.participants("icpc", ids, age)})
        gap = r.randint(25, 40) if self.good() else r.randint(40, 70)
        day = start + timedelta(days=r.randint(5, 14) if self.good(0.1) else r.randint(15, 30))
        while day <= end:
            meetings.append({"type": "core_group", "date": day.isoformat(),
                             "participants": self.participants("core_group", ids, age)})
            day += timedelta(days=gap + r.randint(-5, 5))
        review = start + timedelta(days=r.randint(80, 92) if self.good() else r.randint(93, 130))
        while review <= end:
            meetings.append({"type": "rcpc", "date": review.isoformat(),
                             "participants": self.participants("rcpc", ids, age)})
            review += timedelta(days=r.randint(160, 183) if self.good() else r.randint(184, 220))
        r.shuffle(meetings)  # exporters give lists in any order
        return meetings

    def visits(self, start: date, end: date) -> list[Json]:
        r = self.r
        gap = (7, 13) if self.good() else (10, 25)
        visits = []
        day = start + timedelta(days=r.randint(1, 7))
        while day <= end:
            seen = r.random() < 0.92
            visit: Json = {"date": day.isoformat(), "seen": seen}
            if seen and r.random() < 0.9:
                visit["seen_alone"] = self.good(-0.2)
            visits.append(visit)
            day += timedelta(days=r.randint(*gap))
        return visits

    def child_voice(self, start: date, end: date, age: int) -> list[Json]:
        r = self.r
        gap = (14, 40) if self.good() else (30, 70)
        entries = []
        day = start + timedelta(days=r.randint(3, 30))
        while day <= end:
            method = "observation" if age < 3 and r.random() < 0.7 else self.pick(VOICE_METHODS)
            entry: Json = {"date": day.isoformat(), "method": self.token(method),
                           "by": self.pick(VOICE_BY)}
            if r.random() < 0.6:
                entry["agency"] = self.pick(("social_care", "school", "sirona"))
            entries.append(entry)
            day += timedelta(days=r.randint(*gap))
        return entries

    def recording(self, start: date, end: date, ids: list[str]) -> list[Json]:
        r = self.r
        child_share = 0.2 + 0.6 * self.quality
        entries = []
        day = start - timedelta(days=r.randint(0, 20))
        while day <= end:
            views = []
            if r.random() < 0.85:
                views.append("mum")
            if "dad" in ids and self.good(-0.3):
                views.append("dad")
            if r.random() < child_share:
                views.append("child")
            entry: Json = {"date": day.isoformat(), "agency": self.pick(("social_care", "school",
                                                                          "sirona", "early_help"))}
            entry["views_of"] = views
            entries.append(entry)
            day += timedelta(days=r.randint(7, 21))
        return entries

    def assessments(self, start: date, ids: list[str]) -> list[Json]:
        r = self.r
        contributors = ["mum"]
        if "dad" in ids and self.good():
            contributors.append("dad")
        if self.good():
            contributors.append("child")
        begun = start - timedelta(days=r.randint(10, 30))
        assessment: Json = {"type": "child_and_family", "start": begun.isoformat(),
                            "contributors": contributors}
        if r.random() < 0.85:
            assessment["completed"] = (begun + timedelta(days=r.randint(20, 45))).isoformat()
        result = [assessment]
        if r.random() < 0.3:
            result.append({"type": "parenting_assessment",
                           "start": (start + timedelta(days=r.randint(20, 60))).isoformat(),
                           "contributors": contributors[: r.randint(1, len(contributors))]})
        return result

    def tools(self, needs: list[str], start: date, end: date) -> list[Json]:
        r = self.r
        tools = []
        lowered = {n.lower().replace(" ", "_").replace("-", "_") for n in needs}
        span = max(1, (end - start).days)
        if "domestic_abuse" in lowered and self.good():
            tools.append({"name": self.pick(("dash", "DASH", "dash_ric")),
                          "date": (start - timedelta(days=r.randint(0, 30))).isoformat(),
                          "by": "police_officer"})
        if "neglect" in lowered and self.good(-0.1):
            tools.append({"name": self.pick(("graded_care_profile_2", "gcp2")),
                          "date": (start + timedelta(days=r.randint(0, span))).isoformat(),
                          "by": "health_visitor"})
        if r.random() < 0.2:
            tools.append({"name": "signs_of_safety", "by": "social_worker"})
        return tools

    def professionals(self, start: date, end: date) -> list[Json]:
        r = self.r
        changes = r.randint(0, 1) if self.good() else r.randint(1, 4)
        span = max(2, (end - start).days)
        cuts = sorted(r.sample(range(1, span), min(changes, span - 1)))
        workers = []
        begin = start - timedelta(days=r.randint(5, 40))
        for cut in cuts:
            finish = start + timedelta(days=cut)
            workers.append({"role": "social_worker", "agency": "social_care",
                            "from": begin.isoformat(), "to": finish.isoformat()})
            begin = finish + timedelta(days=1)
        workers.append({"role": "social_worker", "agency": "social_care",
                        "from": begin.isoformat()})
        for _ in range(r.randint(1, 4)):
            role, agency = self.pick(HEALTH + OTHERS)
            entry: Json = {"role": role, "agency": agency,
                           "from": (start - timedelta(days=r.randint(0, 400))).isoformat()}
            if r.random() < 0.3:
                entry["to"] = (start + timedelta(days=r.randint(10, 300))).isoformat()
            workers.append(entry)
        return workers

    def agency_records(self, start: date) -> list[Json]:
        r = self.r
        records = []
        for agency in r.sample(AGENCIES, r.randint(0, 4)):
            shows = self.good(0.1)
            record: Json = {"agency": agency, "shows_cp_plan": shows}
            if r.random() < 0.5:
                record["system"] = self.pick(("systmone", "emis", "connecting_care", "cpoms"))
            if shows:
                record["plan_documents_available"] = self.good()
            if r.random() < 0.8:
                record["conference_minutes_on_file"] = self.good()
            if not self.good(0.2):
                flag: Json = {"flag": "no_safeguarding_concerns",
                              "from": (start - timedelta(days=r.randint(100, 2000))).isoformat()}
                if r.random() < 0.4:
                    flag["to"] = (start + timedelta(days=r.randint(-50, 60))).isoformat()
                record["flags"] = [flag]
            elif r.random() < 0.5:
                record["flags"] = [{"flag": "child_protection_plan", "from": start.isoformat()}]
            records.append(record)
        return records


def make_case(index: int, seed: int = DEFAULT_SEED) -> Json:
    """Case `index` of the batch made with `seed`: the same record on every run."""
    return _Case(random.Random(f"{seed}:{index}"), index).build()


def write(cases: int, out: str, jsonl: bool, seed: int = DEFAULT_SEED) -> tuple[int, int]:
    """Write the cases; the number of files and of bytes written."""
    os.makedirs(out, exist_ok=True)
    written = 0
    if jsonl:
        path = os.path.join(out, f"cases-{cases}.jsonl")
        with open(path, "w", encoding="utf-8") as handle:
            for index in range(cases):
                line = json.dumps(make_case(index, seed), ensure_ascii=False)
                handle.write(line + "\n")
                written += len(line) + 1
        return 1, written
    width = max(6, len(str(cases - 1)))
    for index in range(cases):
        text = json.dumps(make_case(index, seed), ensure_ascii=False, indent=1)
        with open(os.path.join(out, f"case-{index:0{width}d}.json"), "w",
                  encoding="utf-8") as handle:
            handle.write(text)
        written += len(text)
    return cases, written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="how many cases (default 1000)")
    parser.add_argument("--out", required=True, help="the folder to write into")
    parser.add_argument("--jsonl", action="store_true",
                        help="one JSON Lines file, not one file a case")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.cases < 1:
        parser.error("--cases must be at least 1")
    files, size = write(args.cases, args.out, args.jsonl, args.seed)
    print(f"{args.cases:,} cases in {files:,} file(s) under {args.out}: "
          f"{size / 1e6:.1f} MB, {size / args.cases / 1000:.1f} KB a case", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
