"""Benchmark: how well the desk reads the development set of letters (tests/fixtures/mail/letters).

Usage: python tests/benchmarks/letters.py [--verbose]

Each letter is parsed, classified and read as ``mail fetch`` does (``classify`` then
``extract_notice``), and compared with ``expected.json`` beside the letters: the kind (takedown,
counter_notice, retraction, payment_demand, inquiry, other), asks_payment, the claimant's e-mail,
phone and name, our pages named as copies (targets), originals wrongly taken as targets, the
demanded amount and the deadline. Prints a table (with the targets of the issue) and one JSON
line. ``--verbose`` lists every miss.
Targets: kind >= 97%, e-mail/phone/name >= 95% each, target URLs >= 98%, originals taken as
targets <= 2%.
"""

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[0] = str(REPO)

import phonenumbers  # noqa: E402

from moderation.intake.urls import URLError, canonical_url  # noqa: E402
from moderation.mailbox import parse_message  # noqa: E402
from moderation.notices import extract_notice  # noqa: E402
from moderation.notices.classify import classify  # noqa: E402

LETTERS = REPO / "tests" / "fixtures" / "mail" / "letters"
SITE = ["uscntv.com", "www.uscntv.com"]
TARGETS = {"kind": 0.97, "email": 0.95, "phone": 0.95, "name": 0.95, "target_urls": 0.98}
MAX_ORIGINALS_AS_TARGETS = 0.02
NOTICE_KINDS = ("takedown", "counter_notice", "retraction", "payment_demand")
# The field shown for a miss of each measure (--verbose).
SHOWN = {"target_urls": "targets", "extra_targets": "targets", "originals_as_targets": "targets",
         "deadline": "deadline_days"}


def _canonical(url: str) -> str:
    try:
        return canonical_url(url)
    except URLError:
        return url


def same_phone(expected: str | None, found: str | None) -> bool:
    """Equal numbers, however written: ``found`` is read in the expected number's country, so
    "020 7946 0958" and "+44 (0)20 7946 0958" both match "+442079460958"."""
    if not expected or not found:
        return not expected and not found
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(expected))
        number = phonenumbers.parse(found, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == expected


def _norm(value: str | None) -> str:
    return re.sub(r"\s+", " ", value or "").strip().lower()


def read(raw: bytes) -> dict:
    """What the desk reads out of one letter, in the shape of ``expected.json``."""
    parsed = parse_message(raw)
    label = classify(parsed, loop_id="desk@uscntv.com").label
    fields = extract_notice(parsed, site_domains=SITE)
    asked = getattr(fields, "asks", None)
    if label == "notice":
        kind = fields.kind
    else:
        kind = asked if asked in ("inquiry", "other") else "inquiry"
    claimant = fields.claimant
    sender = parsed.from_.address.lower() if parsed.from_ else None
    return {
        "kind": kind,
        "asks_payment": bool(getattr(fields, "asks_payment", False)),
        "email": claimant.email or sender,
        "phone": claimant.phone,
        "name": claimant.name,
        "targets": [_canonical(u) for u in fields.target_urls],
        "amount": getattr(getattr(fields, "demand", None), "amount", None),
        "deadline_days": getattr(getattr(fields, "deadline", None), "days", None),
    }


def compare(expected: dict, got: dict) -> dict[str, tuple[int, int]]:
    """Per measure (right, counted) for one letter."""
    want_targets = {_canonical(u) for u in expected["targets"]}
    got_targets = set(got["targets"])
    originals = {_canonical(u) for u in expected["originals"]}
    names = [_norm(n) for n in expected["name"] if n] or [""]
    scores = {
        "kind": (int(got["kind"] == expected["kind"]), 1),
        "asks_payment": (int(got["asks_payment"] == expected["asks_payment"]), 1),
        "email": (int(_norm(got["email"]) == _norm(expected["email"])), 1),
        "phone": (int(same_phone(expected["phone"], got["phone"])), 1),
        "name": (int(_norm(got["name"]) in names), 1),
        "target_urls": (len(want_targets & got_targets), len(want_targets)),
        # Pages an inquiry mentions are no targets to count; a notice's others are.
        "extra_targets": ((len(got_targets - want_targets - originals), len(got_targets))
                          if expected["kind"] in NOTICE_KINDS else (0, 0)),
        "originals_as_targets": (len(originals & got_targets), len(originals)),
    }
    if expected.get("amount") is not None:
        scores["amount"] = (int(got["amount"] == expected["amount"]), 1)
    if expected.get("deadline_days") is not None:
        scores["deadline"] = (int(got["deadline_days"] == expected["deadline_days"]), 1)
    return scores


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--verbose", action="store_true")
    args = options.parse_args()
    expected = json.loads((LETTERS / "expected.json").read_text(encoding="utf-8"))
    totals: dict[str, list[int]] = {}
    started = time.perf_counter()
    for name, want in expected.items():
        got = read((LETTERS / name).read_bytes())
        for measure, (right, counted) in compare(want, got).items():
            total = totals.setdefault(measure, [0, 0])
            total[0] += right
            total[1] += counted
            wrong = (right > 0) if measure in ("extra_targets", "originals_as_targets") \
                else right < counted
            if args.verbose and wrong:
                key = SHOWN.get(measure, measure)
                print(f"  {name:45} {measure:20} expected {want.get(key)!r} got {got.get(key)!r}")
    seconds = time.perf_counter() - started
    print(f"{'measure':22} {'right':>6} {'of':>5} {'share':>7} {'target':>8}")
    result = {"letters": len(expected), "seconds": round(seconds, 3)}
    for measure, (right, counted) in totals.items():
        share = right / counted if counted else 1.0
        goal = TARGETS.get(measure)
        if measure == "originals_as_targets":
            mark = f"<= {MAX_ORIGINALS_AS_TARGETS:.0%}"
        else:
            mark = f">= {goal:.0%}" if goal else ""
        print(f"{measure:22} {right:>6} {counted:>5} {share:>7.1%} {mark:>8}")
        result[measure] = round(share, 4)
    met = all(result.get(k, 0) >= v for k, v in TARGETS.items()) and \
        result.get("originals_as_targets", 0) <= MAX_ORIGINALS_AS_TARGETS
    result["targets_met"] = met
    print(json.dumps(result))


if __name__ == "__main__":
    main()
