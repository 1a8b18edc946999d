"""Credit lines under photos: finding them in captions, and whether they name a publisher."""

import re

# Lines that credit a photo: "PHOTO: ... Getty Images", "Photo by X/AP", "图片来源:视觉中国",
# "(Reuters)", "资料图" (a file photo), "摄影:...", "Credit: ...".
_LEADS = re.compile(
    r"(?:^|\s|\()(?:photo(?:graph)?s?(?:\s+by)?|image(?:s)?(?:\s+by)?|credit|picture|pictured|"
    r"source|图片来源|图片|图源|摄影|来源|资料图片?|供图)\s*[:：/]?", re.IGNORECASE)
_AGENCY_TAIL = re.compile(
    r"(getty images|associated press|\bap\b|reuters|\bafp\b|agence france-presse|epa|"
    r"shutterstock|alamy|imaginechina|视觉中国|新华社|中新社|东方ic|ic photo|图虫|"
    r"bloomberg|pool|xinhua|efe|anadolu|sipa|dpa|nurphoto|corbis|pa images|"
    r"copyright|©|\(c\))", re.IGNORECASE)
_PAREN_AGENCY = re.compile(r"\((?:reuters|ap|afp|getty images|xinhua|新华社|视觉中国)\)",
                           re.IGNORECASE)
FILE_PHOTO = ("资料图", "file photo")


def find_credit(text: str | None) -> str | None:
    """The credit part of a caption or a line near a photo, or None when it credits no one."""
    if not text:
        return None
    text = " ".join(text.split())
    for line in re.split(r"(?<=[。.!?])\s+|\n", text):
        if _LEADS.search(line) and (_AGENCY_TAIL.search(line) or ":" in line or "：" in line):
            return line.strip()[:500]
        if _PAREN_AGENCY.search(line) or any(mark in line.lower() for mark in FILE_PHOTO):
            return line.strip()[:500]
        if _AGENCY_TAIL.search(line) and len(line) <= 80:
            return line.strip()[:500]
    return None


def names_in_credit(credit: str | None, names: list[str]) -> bool:
    """Does the credit name one of ``names`` (a publisher's name and aliases), case-folded?"""
    if not credit:
        return False
    folded = credit.casefold()
    for name in names:
        name = name.casefold().strip()
        if not name:
            continue
        if name.isascii():
            if re.search(r"(?<![a-z])" + re.escape(name) + r"(?![a-z])", folded):
                return True
        elif name in folded:
            return True
    return False
