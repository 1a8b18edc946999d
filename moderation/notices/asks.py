"""What a letter asks of us, weighed sentence by sentence, with the reasons for a reviewer.

The kind follows what the sender asks, not which words occur: a takedown notice that tells
where a counter-notice "may be filed" is still a takedown, and a reply quoting our
acknowledgement (which names counter-notices and retractions) asks what its own lines ask.
Quoted mail is set apart before this is called (see ``quoting``).

    decision = decide("Please remove https://www.uscntv.com/a/1.html")
    decision.kind          # "takedown"
    decision.reasons       # ['It asks for removal: "Please remove …"']

Kinds: takedown, counter_notice, retraction, payment_demand (money alone), inquiry (a question
or a request of another sort), other (asks nothing). ``asks_payment`` is set whenever a licence
fee, settlement or damages are demanded, whatever the kind.
"""

import re
from dataclasses import dataclass, field

from moderation.notices.demands import Deadline, Demand, find_deadline, find_demand
from moderation.notices.statements import sentences

KINDS = ("takedown", "counter_notice", "retraction", "payment_demand", "inquiry", "other")
NOTICE_KINDS = ("takedown", "counter_notice", "retraction", "payment_demand")


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_DOC = r"(?:notice|notification|complaint|request|claim|take-?down|dmca|e-?mail|letter|report)"
RETRACTION = _any(
    rf"\b(?:withdraw|retract|rescind|cancel)\w*\b[^.\n]{{0,60}}\b{_DOC}",
    rf"\b{_DOC}s?\b[^.\n]{{0,60}}\b(?:is |are |be )?(?:withdrawn|retracted|rescinded|cancel+ed)\b",
    rf"\b(?:disregard|ignore)\b[^.\n]{{0,40}}\b{_DOC}",
    r"\bno (?:further )?(?:action|removal) (?:is )?(?:required|needed)\b",
    r"\b(?:please )?leave the (?:page|article|post|content) (?:online|up)\b",
    r"撤回", r"撤销[^。\n]{0,10}(?:通知|投诉|申请|要求)", r"无需删除", r"不必删除", r"系误发",
)
# The statements of a counter-notice, and a dispute of a removal asking to restore.
COUNTER = _any(
    r"\bcounter[- ]?notic\w*", r"\bcounter[- ]?notification", r"512\s*\(g\)",
    r"\bmistake or misidentification\b", r"\bremoved\b[^.\n]{0,60}\bby mistake\b",
    r"\bdispute (?:this|the) (?:removal|takedown)\b", r"反通知", r"(?:要求|申请|请求)恢复",
)
RESTORE = _any(r"\b(?:restore|reinstate|re-?instate|put (?:it|them|the \w+) back)\w*",
               r"\bwant (?:it|them) (?:back|restored)\b", r"恢复")
REMOVED_OURS = _any(r"\b(?:you|your site) (?:removed|took down|deleted|disabled)\b",
                    r"删除了(?:我|本人)")
# Words that make a sentence tell what may happen rather than ask it.
CONDITIONAL = _any(r"\bif\b", r"\bmay\b", r"\bcan\b", r"\bshould\b", r"\bin case\b", r"如有",
                   r"如果", r"若", r"可发", r"可以")
REMOVAL = _any(
    r"\b(?:remove|delete|disable access)\b(?! any copies)", r"\btake\s+(?:\w+\s+){0,2}down\b",
    r"\btake-?down\b(?! notice)", r"\boff your (?:site|website|pages?)\b",
    r"\bpull (?:it|them|the \w+)(?: down)?\b",
    r"(?<!无需)(?<!不必)(?<!不用)(?:删除|下架|撤下|移除|屏蔽|断开链接|刪除)",
)
THREAT = _any(
    r"\blegal action\b", r"\bfile (?:a )?(?:suit|lawsuit)\b", r"\bsue\b", r"\blitigation\b",
    r"\b(?:issue|commence|take) (?:legal )?proceedings\b", r"\blaw firm\b[^.\n]{0,60}\b(?:take|pursue)",
    r"\breport you\b", r"\bescalate\b", r"法律途径", r"诉讼", r"追究[^。\n]{0,12}法律责任", r"起诉",
)
INFRINGEMENT = _any(
    r"\bDMCA\b", r"\bcopyright infringement\b", r"\binfring\w*", r"Digital Services Act",
    r"\billegal content\b", r"512\s*\(c\)", r"\bwithout (?:our |my |any )?(?:permission|authori[sz]ation|consent|licen[cs]e)\b",
    r"\bstolen\b", r"侵权", r"侵權", r"侵犯", r"信息网络传播权", r"未经[^。\n]{0,4}(?:授权|许可|同意)",
    r"未經[^。\n]{0,4}(?:授權|許可)",
)
FIRST_PERSON = _any(r"\b(?:my|our)\b", r"我", r"本(?:人|公司|所|社)")
QUESTION = re.compile(r"[?？]\s*$|[?？]|吗[。？?]?$|请问|是否")
OTHER_REQUEST = _any(r"\b(?:please|kindly|could you|would you|can you)\b[^.\n]{0,40}\b(?:correct|update|fix|change|credit|link|call|reply|let me know)",
                     r"\bwould like to\b", r"请[^。\n]{0,10}(?:更正|修改|回复|联系)")


@dataclass
class Decision:
    """A kind, whether money is demanded, and the sentences that decided it."""

    kind: str
    asks_payment: bool = False
    reasons: list[str] = field(default_factory=list)
    demand: Demand | None = None
    deadline: Deadline | None = None


def _quote(sentence: str) -> str:
    sentence = re.sub(r"\s+", " ", sentence).strip()
    return f'"{sentence[:160]}{"…" if len(sentence) > 160 else ""}"'


def _first(found: list[str]) -> str | None:
    return found[0] if found else None


def decide(text: str, subject: str = "") -> Decision:
    """What ``text`` (the sender's own words) asks; ``subject`` counts as one more sentence."""
    said = ([subject] if subject.strip() else []) + sentences(text)
    whole = f"{subject}\n{text}"
    # A pattern absent from the whole letter is absent from each sentence: skip it there.
    present = [pattern for pattern in (RETRACTION, COUNTER, RESTORE, REMOVED_OURS, REMOVAL,
                                       THREAT, INFRINGEMENT, OTHER_REQUEST) if pattern.search(whole)]
    retract, counter, counter_info, restore, removed, removal, threat, infringing, questions, \
        other = ([] for _ in range(10))
    for sentence in said:
        hits = [pattern for pattern in present if pattern.search(sentence)]
        question = bool(QUESTION.search(sentence))
        if question:
            questions.append(sentence)
        if not hits:
            continue
        conditional = bool(CONDITIONAL.search(sentence))
        # "You may withdraw a notice" informs; "you can ignore my request" withdraws one.
        if RETRACTION in hits and (not conditional or FIRST_PERSON.search(sentence)):
            retract.append(sentence)
        if COUNTER in hits:
            (counter_info if conditional else counter).append(sentence)
        if RESTORE in hits and not question:
            restore.append(sentence)
        if REMOVED_OURS in hits:
            removed.append(sentence)
        if REMOVAL in hits and not question:
            removal.append(sentence)
        if THREAT in hits:
            threat.append(sentence)
        if INFRINGEMENT in hits and not question:
            infringing.append(sentence)
        if OTHER_REQUEST in hits and not question:
            other.append(sentence)
    demand = find_demand(said)
    deadline = find_deadline(said)
    asks_payment = demand is not None
    reasons: list[str] = []
    if demand is not None:
        reasons.append(f"It demands money ({demand.currency or '?'} {demand.amount:g}): "
                       f"{_quote(demand.source)}.")
    if retract:
        kind = "retraction"
        reasons.insert(0, f"It withdraws a notice: {_quote(retract[0])}.")
    elif counter or (restore and removed):
        kind = "counter_notice"
        reasons.insert(0, f"It disputes a removal: {_quote(_first(counter) or restore[0])}.")
    elif removal or threat:
        kind = "takedown"
        if removal:
            reasons.insert(0, f"It asks for removal: {_quote(removal[0])}.")
        if threat:
            reasons.append(f"It threatens action over the use: {_quote(threat[0])}.")
    elif asks_payment:
        kind = "payment_demand"
        reasons.append("It asks for money alone: no removal is asked and no action threatened.")
    elif infringing:
        kind = "takedown"
        reasons.insert(0, f"It reports an infringement without a question: {_quote(infringing[0])}.")
    elif questions or other:
        kind = "inquiry"
        reasons.append(f"It asks something else: {_quote(_first(questions) or other[0])}.")
    else:
        kind = "other"
        reasons.append("It asks for nothing: no removal, dispute, withdrawal, money or question.")
    if kind in ("takedown", "payment_demand") and retract:
        reasons.append("It also reads as a withdrawal.")
    if kind == "takedown" and counter_info:
        reasons.append(f"It names counter-notices only as information: {_quote(counter_info[0])}.")
    return Decision(kind, asks_payment, reasons, demand, deadline)
