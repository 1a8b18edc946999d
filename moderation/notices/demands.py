"""Money and time a letter demands: "pay USD 1,200.00", "赔偿金人民币8000元", "within 10 days", "7日内".

    find_demand(["Please pay the amount of USD 1,200.00 within 14 days."])
    # Demand(amount=1200.0, currency="USD", source="Please pay …")
    find_deadline(["请于收到本函之日起7日内删除"])      # Deadline(days=7, business=False, …)
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_CURRENCY_WORDS = {
    "usd": "USD", "us$": "USD", "$": "USD", "dollars": "USD", "美元": "USD",
    "eur": "EUR", "€": "EUR", "euros": "EUR", "欧元": "EUR",
    "gbp": "GBP", "£": "GBP", "pounds": "GBP", "英镑": "GBP",
    "cny": "CNY", "rmb": "CNY", "人民币": "CNY", "元": "CNY", "¥": "CNY", "￥": "CNY",
    "hkd": "HKD", "hk$": "HKD", "港币": "HKD", "港元": "HKD",
}
_NUMBER = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"
_BEFORE = r"US\$|HK\$|USD|EUR|GBP|CNY|RMB|HKD|人民币|[$€£¥￥]"
_AFTER = r"USD|EUR|GBP|CNY|RMB|HKD|dollars|euros|pounds|美元|欧元|英镑|港币|港元|元"
AMOUNT = re.compile(
    rf"(?P<before>{_BEFORE})\s?(?P<n1>{_NUMBER})(?:\s?(?:元|万元))?"
    rf"|(?P<n2>{_NUMBER})\s?(?P<after>{_AFTER})(?![A-Za-z])",
    re.IGNORECASE,
)
PAYMENT = re.compile(
    r"\bpay\w*|\bremit\w*|\bsettle\w*|\bbalance\b|\bfees?\b|\binvoice\w*|\bcompensation\b|"
    r"\bdamages\b|\bretroactive licen[cs]e|\bpurchase a licen[cs]e|\blicen[cs]e (?:fee|cost)|"
    r"支付|付款|缴纳|费用|使用费|授权费|赔偿|补办授权",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "five": 5, "seven": 7, "ten": 10,
                 "fourteen": 14, "fifteen": 15, "thirty": 30, "一": 1, "二": 2, "两": 2, "三": 3,
                 "五": 5, "七": 7, "十": 10, "十五": 15, "三十": 30}
_COUNT = r"\d{1,3}|one|two|three|five|seven|ten|fourteen|fifteen|thirty"
DEADLINE = re.compile(
    rf"\bwithin\s+(?P<en>{_COUNT})\s*(?:\(\d+\)\s*)?(?P<bd>business |working |calendar )?"
    rf"(?P<unit>days?|hours?)\b"
    rf"|\b(?P<en2>{_COUNT})\s+(?P<bd2>business |working )?days? (?:of|from|after)\b"
    r"|(?P<zh>\d{1,3}|[一二两三五七十]{1,2})\s*(?:个)?(?P<zbd>工作)?(?:日|天)(?:内|之内)",
    re.IGNORECASE,
)


@dataclass
class Demand:
    """An amount of money demanded, its currency (ISO code) and the sentence demanding it."""

    amount: float
    currency: str | None
    source: str


@dataclass
class Deadline:
    """A time limit the letter sets: a number of (business) days and the sentence setting it."""

    days: int
    business: bool
    source: str

    def due(self, received: datetime) -> datetime:
        """When the time runs out, counted from when the letter arrived."""
        if not self.business:
            return received + timedelta(days=self.days)
        day, left = received, self.days
        while left:
            day += timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day


def _amount(text: str) -> float:
    return float(text.replace(",", "").replace("，", ""))


def find_demand(sentences: list[str]) -> Demand | None:
    """The first amount of money demanded in a sentence about paying, or None."""
    for index, sentence in enumerate(sentences):
        for match in AMOUNT.finditer(sentence):
            # The amount, or the sentence just after it, must be about paying: "The fee is $200.
            # Either pay me or take it down."
            nearby = " ".join(sentences[index:index + 2])
            if not PAYMENT.search(nearby):
                continue
            number = match.group("n1") or match.group("n2")
            unit = (match.group("before") or match.group("after") or "").lower()
            amount = _amount(number)
            if match.group(0).rstrip().endswith("万元"):
                amount *= 10_000
            if amount <= 0:
                continue
            return Demand(amount, _CURRENCY_WORDS.get(unit), sentence[:300])
    return None


def _count(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def find_deadline(sentences: list[str]) -> Deadline | None:
    """The first time limit set in the letter, in days (hours rounded up to days), or None."""
    for sentence in sentences:
        match = DEADLINE.search(sentence)
        if not match:
            continue
        count = _count(match.group("en") or match.group("en2") or match.group("zh") or "")
        if not count or count > 365:
            continue
        if (match.group("unit") or "").lower().startswith("hour"):
            count = max(1, -(-count // 24))
        business = bool(match.group("bd") and match.group("bd").strip() in ("business", "working")
                        or match.group("bd2") or match.group("zbd"))
        return Deadline(count, business, sentence[:300])
    return None
