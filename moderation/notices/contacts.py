"""Contact fields as letters give them: several labelled fields on one line, in English and
Chinese, with full- or half-width punctuation; phone numbers in any format.

    fields_on_line("联系人:王晓明  联系方式:电话 010-6512 3456,邮箱 legal@chenguang.example")
    # [Field("name", "王晓明", …), Field("contact", "电话 010-6512 3456,邮箱 legal@…", …)]
    phones_in("电话 13800138000", region="CN")      # [Phone("13800138000", "+8613800138000")]

Phone numbers are found by ``phonenumbers`` (Google's libphonenumber): only numbers valid for
their region count, so dates, postcodes and case numbers are not taken for phones.
"""

import re
from dataclasses import dataclass

import phonenumbers
import usaddress

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PREFIX = r"(?:(?:your|full|contact|requester|reporter|claimant|complainant|sender|notifier)\s+)?"
LABELS: dict[str, str] = {
    "name": _PREFIX + r"(?:name|contact person|reporter|requester|"
            r"姓名|联系人|聯絡人|联络人|通知人姓名|权利人姓名|投诉人姓名|律师|代理人)",
    "organisation": r"(?:company(?: name)?|organi[sz]ation(?: name)?|employer|publisher|"
                    r"rights ?holder|rights owner|copyright (?:owner|holder)|"
                    r"单位(?:名称)?|公司(?:名称)?|权利人(?:名称)?|通知人|投诉人|名称|機構)",
    "email": _PREFIX + r"(?:e-?mail(?: address)?|邮箱|電郵|电邮|郵箱|电子邮件|电子邮箱|联系邮箱)",
    "phone": _PREFIX + r"(?:phone(?: number)?|telephone|tel\.?|mobile|mob\.?|cell|office|"
             r"电话|联系电话|手机|座机|電話|手機)",
    "address": r"(?:(?:mailing|postal|street|contact) )?(?:address|地址|通讯地址|联系地址|住址)",
    "contact": r"(?:(?:media )?contact(?: information| details| info)?|联系方式|聯絡方式)",
}
# Longer labels first, so "contact person" is not read as "contact" and "person".
_ALTERNATIVES = sorted(
    ((key, label) for key, label in LABELS.items()), key=lambda item: -len(item[1]))
_LABEL = re.compile(
    r"(?:^|(?<=[\s,，;；|、。]))(?:[-*•]\s*|\d{1,2}[.)、]\s*)?(?:"
    + "|".join(f"(?P<{key}>{label})" for key, label in _ALTERNATIVES)
    + r")\s*(?:[(（][^)）]{0,20}[)）])?\s*(?P<sep>[:：]|\|(?=\s))",
    re.IGNORECASE,
)
_ABBREVIATION_END = re.compile(r"\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St|S\.A)\.$")
_TRIM = " \t\u3000,，;；|、。."
# A name token in Chinese, and the characters that end the names of organisations.
_ZH_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_ZH_ORG_END = re.compile(r"(?:社|部|司|局|院|所|中心|报|台|组|处|室|厅|团|馆|站|网)$")
# Greetings and words of address that are two to four Han characters too.
_ZH_NOT_NAME = re.compile(r"^(?:你好|您好|谢谢|感谢|此致|敬礼|编辑|各位|大家|贵站|贵方|贵司|尊敬|敬啟|敬启|"
                          r"律师|先生|女士|电话|邮箱|手机|地址|联系)")
_EN_NAME = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?:[A-Z][a-zA-Z'’-]+|[A-Z]\.)"
                      r"(?:\s+(?:[A-Z][a-zA-Z'’-]+|[A-Z]\.)){1,3}$")
ORG_WORDS = re.compile(
    r"\b(?:Inc|LLC|LLP|Ltd|GmbH|ApS|KK|AG|SA|Co|Company|Corporation|Corp|Department|Dept|News|"
    r"Legal|Group|Team|Counsel|Media|Press|Limited|Office|Daily|Times|Herald|Wire|Report|"
    r"Services?|Agency|Licensing|Syndication|Solicitors|Law|Editor|Manager|Desk|Release|"
    r"Immediate|Agent|Compliance|Accounts|Verlag|Rights)\b|公司|集团|部门|法务|报社",
)
_REGIONS = {"cn": "CN", "uk": "GB", "de": "DE", "hk": "HK", "tw": "TW", "jp": "JP", "fr": "FR",
            "au": "AU", "in": "IN", "ae": "AE", "dk": "DK", "sg": "SG", "ca": "CA", "it": "IT"}


_NOT_PHONES = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+\.[a-z]{2,}/\S*")
_PHONE_LIKE = re.compile(r"\d[\d\s().\-/]{5,}\d")


@dataclass
class Field:
    """One labelled value, its key (see ``LABELS``) and the line it stands on."""

    key: str
    value: str
    line: str


@dataclass
class Phone:
    """A phone number as written, and in international (E.164) form."""

    raw: str
    e164: str


def fields_on_line(line: str) -> list[Field]:
    """Every labelled field on ``line``, each value ending where the next label starts."""
    matches = [m for m in _LABEL.finditer(line)
               if m.group("sep") != "|" or not line[:m.start()].strip()]
    found = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        value = line[match.end():end].strip(_TRIM.replace(".", ""))
        if value.endswith(".") and not _ABBREVIATION_END.search(value):
            value = value.rstrip(".").strip(_TRIM)
        key = match.lastgroup if match.lastgroup != "sep" else None
        key = next(k for k in LABELS if match.group(k) is not None) if key is None else key
        if value:
            found.append(Field(key, value, line.strip()))
    return found


def labelled_fields(lines: list[str]) -> list[Field]:
    """The labelled fields of a letter's lines, in reading order."""
    found = []
    for line in lines:
        # A labelled line is short (long ones are prose or data) and has a separator.
        if len(line) <= 500 and ("：" in line or ":" in line or "|" in line):
            found.extend(fields_on_line(line))
    return found


def region_for(language: str | None, email: str | None, jurisdiction: str | None) -> str:
    """The region national phone numbers are read in: the e-mail's country, the letter's
    language or the law it invokes, else the US."""
    if email and "." in email:
        region = _REGIONS.get(email.rsplit(".", 1)[-1].lower())
        if region:
            return region
    if language == "zh" or jurisdiction == "CN":
        return "CN"
    return "US"


def phones_in(text: str, region: str) -> list[Phone]:
    """Valid phone numbers in ``text``, in order; numbers inside web addresses are skipped."""
    found: list[Phone] = []
    # Web and e-mail addresses blanked out (offsets kept): their digits are no phones, and
    # checking them is most of the matcher's work.
    text = _NOT_PHONES.sub(lambda m: " " * len(m.group(0)), text[:20_000])
    if not _PHONE_LIKE.search(text):
        return found
    try:
        matcher = phonenumbers.PhoneNumberMatcher(text, region,
                                                  leniency=phonenumbers.Leniency.VALID)
        for match in matcher:
            before = text[max(0, match.start - 1):match.start]
            if before in ("/", "=", "-", "_") or re.search(r"https?://\S*$", text[:match.start]):
                continue
            e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            found.append(Phone(match.raw_string.strip(), e164))
    except Exception:  # a library failure on odd text leaves the phone to a person, no crash
        return found
    return found


def looks_like_name(piece: str) -> bool:
    """True for a person's name: two to four capitalised words, or two to four Han characters
    that do not end as an organisation's name does."""
    piece = piece.strip(_TRIM)
    if not piece or EMAIL.search(piece) or re.search(r"\d", piece) or piece.isupper():
        return False
    if _ZH_NAME.match(piece):
        return not _ZH_ORG_END.search(piece) and not _ZH_NOT_NAME.match(piece)
    return bool(_EN_NAME.match(piece)) and not ORG_WORDS.search(piece)


_A_LABEL = re.compile("|".join(f"(?:{label})" for label in LABELS.values()), re.IGNORECASE)


def name_in(value: str, *, first_only: bool = False) -> str | None:
    """A person's name at the start of a value such as "Jane Doe, Legal, 1 Main St" or "周强，",
    or (unless ``first_only``) after an organisation's name: "星河文化传媒有限公司 法务部 李明"."""
    for piece in re.split(r"\s*[,，;；|]\s*|\s{2,}|\u3000", value):
        if looks_like_name(piece) and not _A_LABEL.fullmatch(piece.strip(_TRIM)):
            return piece.strip(_TRIM)
        if re.search(r"[\u4e00-\u9fff]", piece) and not first_only:
            tokens = [t for t in re.split(r"\s+", piece) if t]
            for token in tokens:
                if looks_like_name(token) and not _A_LABEL.fullmatch(token):
                    return token
        break
    return None


_US_ZIP = re.compile(r"^\d{5}(?:-\d{4})?,?$")
_STATE_AND_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")


def us_address_in(line: str) -> str | None:
    """The US postal address inside a line such as "Li Wei, 1 Market Street, San Francisco,
    CA 94105, +1 415 555 0100": from the house number to the ZIP code, as ``usaddress``
    tags them; None when the line holds no such address."""
    if not _STATE_AND_ZIP.search(line) or len(line) > 300:
        return None
    try:
        tokens = usaddress.parse(line)
    except Exception:  # the tagger refuses odd lines; the caller falls back to the shape
        return None
    start = next((i for i, (_t, tag) in enumerate(tokens) if tag == "AddressNumber"), None)
    if start is None:
        return None
    for end in range(start + 1, len(tokens)):
        word, tag = tokens[end]
        if tag == "ZipCode" and _US_ZIP.match(word):
            return " ".join(word for word, _tag in tokens[start:end + 1]).rstrip(",")
    return None


# The 34 province-level divisions (their short names): where a Chinese postal address starts.
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
# An address by its shape: a province (or a city or district), then the lower divisions, and a
# street, building or number ending it: 北京市朝阳区建国路88号 SOHO现代城5号楼1203室.
_CN_ADDRESS = re.compile(
    "(?:(?:" + "|".join(PROVINCES) + r")(?:省|市|自治区|特别行政区|壮族自治区|回族自治区|维吾尔自治区)?)?"
    r"(?:[\u4e00-\u9fff]{1,7}(?:市|州|盟|地区))?"
    r"[\u4e00-\u9fff]{1,7}(?:区|县|旗|镇|乡|市)"
    r"[\u4e00-\u9fff\w\-（）()#]{0,40}?(?:路|街|大街|大道|道|巷|弄|胡同|村|号|楼|室|层|座|栋|大厦|广场|中心)"
    r"(?:[\w\-#]*(?:号|楼|室|层|座|栋|单元))*")


def chinese_address_in(line: str) -> str | None:
    """The Chinese postal address inside a line, recognised by its shape (province, city or
    district, then a street or building ending in a number); None when there is none."""
    found = _CN_ADDRESS.search(line)
    if not found:
        return None
    address = found.group(0)
    if not address.startswith(PROVINCES):  # the words leading to it are no part of it
        address = re.sub(r"^.*(?:位于|坐落于|设在|地址[为是]?|住在|在)", "", address)
    # A district alone ("朝阳区的文章") is no address: a street, number or province must be there.
    if not (address.startswith(PROVINCES) or re.search(r"\d|号|路|街|道", address)):
        return None
    return address
