"""Benchmark: ingest generated takedown notices from a Maildir into SQLite and PostgreSQL.

Usage: python tests/benchmarks/mail.py [--count 10000] [--articles 200] [--batch-size 100]
                                       [--baseline-count 300] [--profile]
                                       [--database-url postgresql+psycopg://...]
Generates ``--count`` distinct messages (English DMCA, Chinese 侵权通知, EU DSA, incomplete
notices, 5% inquiries, 5% automatic replies) from distinct senders about ``--articles`` of our
articles, then times ``mailroom.receive`` over the Maildir: parsing, classification, notice
extraction, verification against the claimed originals, case creation and acknowledgement.

Two modes per backend, each in a fresh database seeded alike: "batched" (``--batch-size``
messages stored, read and committed together) takes all messages; the baseline "per-message"
(batches of one: one commit per message) takes the first ``--baseline-count`` of them. The first ``--baseline-count`` messages must come out the same
both ways (messages, notices, cases, targets, replies and audit events, timestamps aside).
SQLite runs in a temporary instance; PostgreSQL (when --database-url is given) in throw-away
schemas, dropped afterwards. Checks the stored result, prints a table and one JSON line.
Target: at least 200 messages/s. Wall times on a shared machine vary; ``cpu_s`` (this
process) and ``sql/msg`` (statements sent) vary less.
"""

import argparse
import cProfile
import hashlib
import json
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from itertools import zip_longest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The repository instead of this folder: a sibling script (queue.py) must not shadow the
# standard library module of the same name.
sys.path[0] = str(REPO)

TARGET_PER_SECOND = 200
SEED = 20220103
ABC_ORIGINAL = ("https://abcnews.go.com/Politics/"
                "biden-putin-hold-call-amid-heightened-tensions-ukraine/story?id=82011423")
DEMO_ARTICLE = "https://www.uscntv.com/toutiao/2021/1231/12345.html"
# (name, Chinese name, domain): claimants write from these domains, so the desk knows them.
PUBLISHERS = [
    ("Northwind Daily", "北风日报", "northwind-daily.example"),
    ("Harbor Times", "港湾时报", "harbor-times.example"),
    ("Lakeside Herald", "湖畔先驱报", "lakeside-herald.example"),
    ("Pacific Wire", "太平洋通讯社", "pacific-wire.example"),
    ("Xinghe Media", "星河文化传媒有限公司", "xinghe-media.example"),
    ("Changjiang News", "长江新闻传媒有限公司", "changjiang-news.example"),
    ("Tianshan Daily", "天山日报社", "tianshan-daily.example"),
    ("Nanhai Weekly", "南海周刊杂志社", "nanhai-weekly.example"),
]
SECTIONS = ["toutiao", "guoji", "caijing", "shehui", "keji", "wenhua", "tiyu", "jiankang"]
EN_WORDS = (
    "government officials said the new policy would affect markets across the region while "
    "analysts warned that rising prices could slow growth next year the minister told reporters "
    "on Monday that talks with trade partners continued despite tensions over energy supplies "
    "local residents described flooding in several districts after heavy rain city council "
    "members approved funding for schools hospitals and transport researchers published a study "
    "showing that young people spend more time online than ever before the company reported "
    "higher profits in the third quarter and plans to hire thousands of workers"
).split()
ZH_WORDS = ("政府 官员 表示 新 政策 将 影响 地区 市场 分析 人士 警告 物价 上涨 可能 拖累 明年 经济 "
            "增长 部长 周一 告诉 记者 与 贸易 伙伴 谈判 仍在 继续 能源 供应 紧张 居民 描述 暴雨 "
            "之后 多个 城区 出现 内涝 市议会 批准 学校 医院 交通 资金 研究 人员 发表 报告 显示 "
            "年轻人 上网 时间 公司 第三 季度 利润 增加 计划 招聘 数千名 员工").split()
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周", ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"]
EN_FIRST = ["Jane", "Mark", "Olivia", "Ravi", "Sofia", "Tom", "Amara", "Lukas", "Mei", "Diego"]
EN_LAST = ["Morgan", "Okafor", "Schmidt", "Tanaka", "Rossi", "Nguyen", "Haddad", "Kowalski"]


def _sentences(rng: random.Random, words: list[str], count: int, joiner: str, end: str) -> str:
    out = []
    for _ in range(count):
        picked = rng.choices(words, k=rng.randint(8, 20))
        out.append(joiner.join(picked).capitalize() + end)
    return (" " if joiner == " " else "").join(out)


def _article_texts(rng: random.Random) -> tuple[str, str, str]:
    """A Chinese machine translation, the English original below it, and the English title."""
    english = "\n\n".join(_sentences(rng, EN_WORDS, rng.randint(3, 6), " ", ".") for _ in range(8))
    chinese = "\n\n".join(_sentences(rng, ZH_WORDS, rng.randint(3, 6), "", "。") for _ in range(8))
    return chinese, english, _sentences(rng, EN_WORDS, 1, " ", "").rstrip(".")[:120]


def _pages(articles: int) -> list[dict]:
    """The demo article and ``articles - 1`` generated ones, each with its original's text."""
    rng = random.Random(SEED)
    pages = [{"url": DEMO_ARTICLE, "original": ABC_ORIGINAL, "publisher": None,
              "title": "Biden, Putin hold call amid heightened tensions over Ukraine",
              "zh_title": "拜登、普京在乌克兰紧张局势加剧之际举行电话会议"}]
    for number in range(1, articles):
        chinese, english, title = _article_texts(rng)
        day = datetime(2022, 1, 1, tzinfo=UTC) + timedelta(days=number % 60)
        which = number % len(PUBLISHERS)
        pages.append({
            "url": (f"https://www.uscntv.com/{SECTIONS[number % len(SECTIONS)]}/"
                    f"{day:%Y/%m%d}/{50000 + number}.html"),
            "original": f"https://www.{PUBLISHERS[which][2]}/news/{day:%Y/%m%d}/{number}.html",
            "title": title, "zh_title": chinese.partition("。")[0][:40], "publisher": which,
            "day": day, "chinese": chinese, "english": english,
        })
    return pages


def _seed(app, pages: list[dict]) -> None:
    """Store the demo data, then the generated articles, originals and our provenance."""
    from moderation import demo
    from moderation.intake.urls import canonical_url
    from moderation.models import Article, Original, Publisher, PublisherDomain
    from moderation.plumbing.db import transaction

    demo.load(app, with_mail=False)
    with app.app_context(), transaction() as session:
        ids = []
        for name, alias, domain in PUBLISHERS:
            publisher = Publisher(name=name, aliases=[alias])
            session.add(publisher)
            session.flush()
            session.add(PublisherDomain(domain=domain, publisher_id=publisher.id))
            ids.append(publisher.id)
        for page in pages[1:]:
            chinese, english, day = page["chinese"], page["english"], page["day"]
            body = chinese + "\n\n" + english
            article = Article(url=canonical_url(page["url"]), title=page["zh_title"],
                              published_at=day, claimed_source=PUBLISHERS[page["publisher"]][1],
                              language="zh", segments=[{"language": "zh", "text": chinese},
                                                       {"language": "en", "text": english}],
                              text_hash=hashlib.sha256(body.encode()).hexdigest())
            original = Original(url=canonical_url(page["original"]),
                                publisher_id=ids[page["publisher"]], title=page["title"],
                                published_at=day - timedelta(hours=6), language="en",
                                text=english,
                                text_hash=hashlib.sha256(english.encode()).hexdigest())
            session.add_all([article, original])
    # Our own provenance, as importing the articles would have computed it.
    from moderation import provenance
    from moderation.plumbing.db import get_session

    with app.app_context():
        index = provenance.get_index(app)
        provenance.reconcile(get_session(), index)
        provenance.match_articles(get_session(), index)


def _plain(headers: list[tuple[str, str]], body: str, charset: str = "utf-8") -> bytes:
    """A single-part text message, 8bit in the given charset, as mail clients send it."""
    lines = [f"{name}: {value}" for name, value in headers]
    lines += ["MIME-Version: 1.0", f"Content-Type: text/plain; charset={charset}",
              "Content-Transfer-Encoding: 8bit", "", ""]
    return "\n".join(lines).encode("ascii") + body.encode(charset)


def _english(i: int, ctx: dict) -> bytes:
    name = f"{EN_FIRST[i % 10]} {EN_LAST[i % 8]}"
    works = "\n".join(f"Original URL: {p['original']}" for p in ctx["pages"])
    targets = "\n".join(p["url"] for p in ctx["pages"])
    body = (f"To the Designated Agent of uscntv.com:\n\nI am writing on behalf of {ctx['owner']} to "
            "notify you of copyright infringement under the Digital\nMillennium Copyright Act, "
            f"17 U.S.C. 512(c)(3).\n\n1. Copyrighted work: the article \"{ctx['pages'][0]['title']}"
            f"\".\n{works}\n\n2. Infringing material: the pages\n{targets}\nreproduce the article "
            "in full, as a Chinese machine translation followed by\nthe English original, without "
            "authorization.\n\n3. I have a good faith belief that use of the material in the "
            "manner\ncomplained of is not authorized by the copyright owner, its agent, or the "
            "law.\n\n4. The information in this notification is accurate, and under penalty of\n"
            "perjury, I am authorized to act on behalf of the owner of an exclusive right\nthat "
            f"is allegedly infringed.\n\nName: {name}\nTitle: Counsel\nRights holder: "
            f"{ctx['owner']}\nPhone: +1 (818) 555-{i % 10000:04d}\nEmail: {ctx['sender']}\n\n"
            f"/s/ {name}\n")
    subject = f"DMCA Notice of Copyright Infringement - ref {i}"
    if i % 4:
        return _plain([("From", formataddr((f"{ctx['owner']} Legal", ctx["sender"]))),
                       *ctx["common"], ("Subject", subject)], body)
    message = EmailMessage()  # every fourth one as HTML mail with a plain-text alternative
    message["From"], message["Subject"] = formataddr((name, ctx["sender"])), subject
    for header, value in ctx["common"]:
        message[header] = value
    message.set_content(body)
    links = "".join(f'<p><a href="{p["url"]}">{p["url"]}</a></p>' for p in ctx["pages"])
    html = "".join(f"<p>{part}</p>" for part in body.split("\n\n"))
    message.add_alternative(f"<html><body>{html}{links}</body></html>", subtype="html")
    return message.as_bytes()


def _chinese(i: int, ctx: dict) -> bytes:
    name = SURNAMES[i % 10] + GIVEN[(i // 10) % 10]
    owner = PUBLISHERS[ctx["publisher"]][1] if ctx["publisher"] is not None else "星河文化传媒有限公司"
    works = "\n".join(f"原文链接：{p['original']}" for p in ctx["pages"])
    targets = "\n".join(p["url"] for p in ctx["pages"])
    body = (f"uscntv.com 网站负责人：\n\n根据《信息网络传播权保护条例》第十四条的规定，本公司特此向贵网站发出"
            f"侵权通知。\n\n一、权利人信息\n权利人名称：{owner}\n联系人：{name}\n联系电话：010-5555-"
            f"{i % 10000:04d}\n电子邮箱：{ctx['sender']}\n\n二、作品信息\n作品名称：《{ctx['pages'][0]['zh_title']}》"
            f"\n{works}\n\n三、侵权内容的网络地址\n{targets}\n\n四、构成侵权的初步证明材料\n上述网页未经本公司"
            "授权，全文转载了本公司享有著作权的作品，侵犯了本公司的信息网络传播权。\n\n五、声明\n本公司承诺，"
            "本通知书中的陈述真实、准确，并对通知书的真实性负责。\n\n请贵网站在收到本通知后及时删除上述侵权内容。"
            f"\n\n权利人（盖章）：{owner}\n签字：{name}\n")
    charset = "gb2312" if i % 2 else "utf-8"
    subject = Header(f"侵权通知：请删除贵网站转载的文章（{i}）", "utf-8").encode()
    return _plain([("From", formataddr((name, ctx["sender"]), charset="utf-8")),
                   *ctx["common"], ("Subject", subject)], body, charset)


def _dsa(i: int, ctx: dict) -> bytes:
    name = f"{EN_FIRST[i % 10]} {EN_LAST[(i // 10) % 8]}"
    targets = "\n".join(p["url"] for p in ctx["pages"])
    body = (f"Dear uscntv.com team,\n\nI submit this notice pursuant to Article 16 of the Digital "
            f"Services Act\n(Regulation (EU) 2022/2065).\n\nExact location of the content:\n{targets}"
            f"\n\nExplanation: the page republishes word for word our report\n\""
            f"{ctx['pages'][0]['title']}\"\n({ctx['pages'][0]['original']}) without our permission, "
            "which infringes our copyright.\n\nI confirm my bona fide belief that the information "
            f"and allegations contained\nin this notice are accurate and complete.\n\nName: {name}"
            f"\nEmail: {ctx['sender']}\n")
    return _plain([("From", formataddr((name, ctx["sender"]))), *ctx["common"],
                   ("Subject", f"Notice under Article 16 of the Digital Services Act ({i})")], body)


def _incomplete(i: int, ctx: dict) -> bytes:
    body = (f"This is a DMCA takedown notice. You copied our story without permission:\n"
            f"{ctx['pages'][0]['url']}\n\nTake it down now.\n\nThanks,\n{EN_FIRST[i % 10]}\n")
    return _plain([("From", ctx["sender"]), *ctx["common"], ("Subject", "copyright infringement")],
                  body)


def _inquiry(i: int, ctx: dict) -> bytes:
    name = f"{EN_FIRST[i % 10]} Blogger"
    body = (f"Hello,\n\nI run a small blog. May I translate and republish your article\n"
            f"{ctx['pages'][0]['url']} with credit? What are your\nlicence terms?\n\nBest,\n{name}\n")
    return _plain([("From", formataddr((name, ctx["sender"]))), *ctx["common"],
                   ("Subject", f"Question about republishing your articles ({i})")], body)


def _auto_reply(i: int, ctx: dict) -> bytes:
    subject = Header(f"自动回复: [Case #{i % 500 + 1}] Your notice", "utf-8").encode()
    return _plain([("From", ctx["sender"]), *ctx["common"], ("Subject", subject),
                   ("Auto-Submitted", "auto-replied")], "我正在休假，下周返回。\nI am on leave.\n")


# Per 20 messages: 1 automatic reply, 1 inquiry, 7 English, 6 Chinese, 3 DSA, 2 incomplete.
MIX = ["auto_reply", "inquiry"] + ["english"] * 7 + ["chinese"] * 6 + ["dsa"] * 3 + ["incomplete"] * 2
MAKERS = {"english": _english, "chinese": _chinese, "dsa": _dsa, "incomplete": _incomplete,
          "inquiry": _inquiry, "auto_reply": _auto_reply}


def generate(count: int, pages: list[dict]) -> tuple[list[bytes], Counter]:
    """``count`` distinct messages (each from its own sender) and how many of each kind."""
    rng = random.Random(SEED + count)
    by_publisher: dict[int, list[dict]] = {}
    for page in pages[1:]:
        by_publisher.setdefault(page["publisher"], []).append(page)
    messages, kinds = [], Counter()
    start = datetime(2022, 1, 3, 9, 0, tzinfo=UTC)
    for i in range(count):
        kind = MIX[i % len(MIX)]
        chinese = kind == "chinese"
        which = rng.randrange(len(PUBLISHERS) // 2) + (len(PUBLISHERS) // 2 if chinese else 0)
        chosen = rng.sample(by_publisher[which], k=1 if rng.random() < 0.7 else 2)
        if rng.random() < 0.08:  # a page that is not (or no longer) on our site
            chosen.append({"url": f"https://www.uscntv.com/shehui/2022/0110/{90000 + i}.html",
                           "original": f"https://www.{PUBLISHERS[which][2]}/news/x/{i}.html",
                           "title": "Missing page", "publisher": which})
        if kind == "english" and i % 100 == 2:
            chosen = [pages[0]]  # the demo article and its ABC News original
        domain = PUBLISHERS[which][2] if kind not in ("inquiry", "auto_reply") else \
            f"mail{i % 97}.example"
        local = {"inquiry": "reader", "auto_reply": "staff", "incomplete": "webmaster"}.get(
            kind, "legal")
        ctx = {"pages": chosen, "publisher": chosen[0]["publisher"],
               "owner": PUBLISHERS[which][0], "sender": f"{local}.{i}@{domain}",
               "common": [("To", "uscntv@outlook.com"),
                          ("Date", format_datetime(start + timedelta(minutes=i))),
                          ("Message-ID", f"<{kind}-{i}.{rng.getrandbits(32):08x}@{domain}>")]}
        messages.append(MAKERS[kind](i, ctx))
        kinds[kind] += 1
    return messages, kinds


def _write_maildir(folder: Path, messages: list[bytes]) -> None:
    for sub in ("new", "cur", "tmp"):
        (folder / sub).mkdir(parents=True)
    for number, raw in enumerate(messages):
        (folder / "new" / f"{1641200000 + number}.M{number}P1.bench").write_bytes(raw)


def _database(url: str | None, tmp: Path) -> tuple[str, str | None]:
    """A fresh migrated database: a SQLite file, or a new schema in the PostgreSQL database."""
    import sqlalchemy as sa

    from moderation.plumbing.db import make_engine, upgrade

    schema = None
    if url is None:
        url = f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.db'}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with sa.create_engine(url).begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = f"{url}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url, schema


def _checks(session, count: int, kinds: Counter, receipt, seeded: dict) -> tuple[dict, list[str]]:
    """What was stored, and every way it differs from what was sent."""
    from sqlmodel import func, select

    from moderation.mailroom.reading import UNREAD
    from moderation.models import Case, MailMessage, Notice, Reply
    from moderation.plumbing import audit

    notices = count - kinds["inquiry"] - kinds["auto_reply"]
    expected = {"notice": notices, "inquiry": kinds["inquiry"], "auto_reply": kinds["auto_reply"]}
    stored = session.exec(select(func.count()).select_from(MailMessage)).one()
    repeated = session.exec(select(func.count()).select_from(
        select(MailMessage.sha256).group_by(MailMessage.sha256)
        .having(func.count() > 1).subquery())).one()
    labels = Counter(dict(session.exec(select(MailMessage.classification, func.count())
                                       .group_by(MailMessage.classification)).all()))
    new = Case.id > seeded["case"]  # cases the seed data brought are not ours to count
    cases = Counter(dict(session.exec(select(Case.kind, func.count()).where(new)
                                      .group_by(Case.kind)).all()))
    undated = session.exec(select(func.count()).select_from(Case).where(
        new, Case.due_at.is_(None))).one()
    acks = session.exec(select(func.count()).select_from(Reply).where(
        Reply.template == "acknowledgement", Reply.status == "queued")).one()
    unread = session.exec(select(func.count()).select_from(MailMessage).where(
        MailMessage.quarantine_reason == UNREAD)).one()
    verdicts = Counter(item.get("verdict") for (items,) in
                       session.execute(select(Notice.verification)) for item in items)
    chain = audit.verify(session)
    found = {"mail_messages": stored, "duplicate_sha256": repeated, "classified": dict(labels),
             "cases": dict(cases), "verdicts": dict(verdicts), "acknowledgements": acks,
             "audit_events": chain.checked}
    problems = []
    if stored != count:
        problems.append(f"{stored} messages stored, {count} sent")
    if repeated:
        problems.append(f"{repeated} sha256 values stored more than once")
    if labels != Counter(expected):
        problems.append(f"classified {dict(labels)}, expected {expected}")
    wanted_cases = {"takedown": notices, "inquiry": kinds["inquiry"]}
    if cases != Counter(wanted_cases) or receipt.cases_opened != notices + kinds["inquiry"]:
        problems.append(f"cases {dict(cases)} ({receipt.cases_opened} opened), "
                        f"expected {wanted_cases}")
    if receipt.outcomes["stored"] != count:
        problems.append(f"outcomes {dict(receipt.outcomes)}")
    if verdicts["supported"] == 0:
        problems.append("no notice was verified as supported")
    if undated:
        problems.append(f"{undated} new cases without a due date")
    if acks != notices:  # every sender is a person writing for the first time
        problems.append(f"{acks} acknowledgements queued, expected {notices}")
    if unread:
        problems.append(f"{unread} messages stored but never read")
    if not chain.ok:
        problems.append(f"audit chain broken at row {chain.first_bad_id}: {chain.problem}")
    return found, problems


_DIGITS = re.compile(r"\d")
_STAMPS = re.compile(r"\d{4}-\d\d-\d\d[T ][\d:.+]+")


def _fingerprint(session, count: int, seeded: dict) -> list:
    """The first ``count`` messages and all they led to, timestamps (and dates in texts) aside.

    Ids are compared as they are: both databases are seeded alike and read in the same order.
    """
    from sqlmodel import select

    from moderation.models import AuditEvent, Case, CaseTarget, MailMessage, Notice, Reply

    def plain(row, drop=()) -> dict:
        return {k: v for k, v in row.model_dump().items()
                if k not in drop and not isinstance(v, datetime)}

    out = []
    messages = session.exec(select(MailMessage).order_by(MailMessage.id).limit(count)).all()
    for message in messages:
        case = session.get(Case, message.case_id) if message.case_id else None
        notice = session.exec(select(Notice).where(Notice.message_id == message.id)).first()
        item = {"message": plain(message, ("raw", "source", "mailbox_key")),
                "notice": plain(notice) if notice else None}
        if case is not None and case.id > seeded["case"]:
            item["case"] = plain(case) | {"sla": case.due_at - message.received_at
                                          if case.due_at else None}
            item["targets"] = [plain(t) for t in session.exec(
                select(CaseTarget).where(CaseTarget.case_id == case.id).order_by(CaseTarget.id))]
            item["replies"] = [plain(r, ("message_id",)) | {"body": _DIGITS.sub("#", r.body)}
                               for r in session.exec(select(Reply).where(
                                   Reply.case_id == case.id).order_by(Reply.id))]
        out.append(item)
    events = session.exec(select(AuditEvent).where(AuditEvent.seq > seeded["seq"])
                          .order_by(AuditEvent.seq)).all()
    out.append([(e.action, e.object_type, e.object_id,
                 _STAMPS.sub("<time>", json.dumps(e.after, sort_keys=True, default=str)))
                for e in events])
    return out


def _differences(batched: list, alone: list) -> list[str]:
    """Where the per-message baseline and the batched run disagree (first few)."""
    problems = []
    for number, (a, b) in enumerate(zip(batched[:-1], alone[:-1], strict=True)):
        for part in sorted(set(a) | set(b)):
            if a.get(part) != b.get(part):
                problems.append(f"message {number + 1}: {part} differs: "
                                f"{str(a.get(part))[:300]} != {str(b.get(part))[:300]}")
    events = batched[-1][:len(alone[-1])]
    for number, (a, b) in enumerate(zip_longest(events, alone[-1])):
        if a != b:
            problems.append(f"audit event {number + 1} differs: {a} != {b}")
            break
    return problems[:5]


def run(backend: str, url: str | None, messages: list[bytes], kinds: Counter, pages: list[dict],
        tmp: Path, *, profile: bool, batch_size: int, compare: int) -> tuple[dict, list]:
    """Seed a fresh database, take the Maildir in, time it, check what was stored."""
    import sqlalchemy as sa
    from sqlmodel import func, select

    from moderation import create_app, mailroom
    from moderation.mailbox import MaildirSource
    from moderation.models import AuditEvent, Case
    from moderation.plumbing.db import get_engine, get_session

    label = f"{backend}-{batch_size}"
    url, schema = _database(url, tmp)
    app = create_app({"INSTANCE_PATH": str(tmp / f"instance-{label}"), "DATABASE_URL": url,
                      "MAIL_FROM": "desk@uscntv.com"})
    box = tmp / f"Maildir-{label}"
    _write_maildir(box, messages)
    units: list[float] = []  # seconds per commit unit: a batch, or a message alone
    real = {"ingest_batch": mailroom.ingest_batch}

    def timed(name):
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return real[name](*args, **kwargs)
            finally:
                units.append(time.perf_counter() - started)
        return call

    statements = [0]
    from moderation.mailroom import batch as mailbatch

    alone: list[int] = []  # messages the batch reader handed to the careful path
    read_alone = mailbatch.read_alone

    def counted_alone(*args, **kwargs):
        alone.append(args[1].id)
        return read_alone(*args, **kwargs)


    def count_statement(*_args) -> None:
        statements[0] += 1

    profiler = cProfile.Profile() if profile else None
    try:
        _seed(app, pages)
        with app.app_context(), MaildirSource(box) as source:
            session = get_session()
            seeded = {"case": session.exec(select(func.max(Case.id))).one() or 0,
                      "seq": session.exec(select(func.max(AuditEvent.seq))).one() or 0}
            session.commit()
            for name in real:
                setattr(mailroom, name, timed(name))
            mailbatch.read_alone = counted_alone
            sa.event.listen(get_engine(), "before_cursor_execute", count_statement)
            if profiler:
                profiler.enable()
            started, cpu = time.perf_counter(), time.process_time()
            receipt = mailroom.receive(session, source, config=app.config,
                                       source_name=f"maildir:{box}", batch_size=batch_size)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            if profiler:
                profiler.disable()
            sa.event.remove(get_engine(), "before_cursor_execute", count_statement)
            found, problems = _checks(session, len(messages), kinds, receipt, seeded)
            fingerprint = _fingerprint(session, compare, seeded)
            if batch_size > 1 and alone:  # this mail needs no database while it is read
                problems.append(f"{len(alone)} messages read one by one (batch write failed?)")
            left = sum(1 for _ in (box / "new").iterdir())
            if left:
                problems.append(f"{left} messages left in new/")
            session.close()
            get_engine().dispose()
    finally:
        for name, function in real.items():
            setattr(mailroom, name, function)
        mailbatch.read_alone = read_alone
        if schema:
            with sa.create_engine(url.split("?")[0]).begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    if profiler:
        print(f"--- profile ({label}): top functions by cumulative, then own time")
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)
    ordered = sorted(units)
    return {"mode": "batched" if batch_size > 1 else "per-message", "batch_size": batch_size,
            "messages": len(messages), "seconds": round(seconds, 2), "cpu_s": round(cpu, 2),
            "messages_per_s": round(len(messages) / seconds, 1),
            "sql_per_message": round(statements[0] / len(messages), 2),
            "cases_opened": receipt.cases_opened,
            "unit_p50_ms": round(statistics.median(ordered) * 1000, 1),
            "unit_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
            "unit_max_ms": round(ordered[-1] * 1000, 1),
            "meets_target": len(messages) / seconds >= TARGET_PER_SECOND,
            "checks": found, "problems": problems}, fingerprint


def main() -> None:
    from moderation.mailroom.batch import BATCH_SIZE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000, help="messages to generate")
    parser.add_argument("--articles", type=int, default=200,
                        help="our articles in the database, the demo article included")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                        help="messages stored, read and committed together")
    parser.add_argument("--baseline-count", type=int, default=300,
                        help="messages for the per-message baseline (0: none)")
    parser.add_argument("--database-url", default=None,
                        help="also ingest into this PostgreSQL database (throw-away schemas)")
    parser.add_argument("--profile", action="store_true",
                        help="print where receive() spends its time (cProfile)")
    args = parser.parse_args()
    if args.articles < 1 + 2 * len(PUBLISHERS) or args.count < 1 or args.batch_size < 2:
        raise SystemExit(f"--articles must be at least {1 + 2 * len(PUBLISHERS)}, --count >= 1, "
                         "--batch-size >= 2")
    baseline = min(args.baseline_count, args.count)
    # Article texts come from a seeded generator, so every backend gets the same pages.
    pages = _pages(args.articles)
    started = time.perf_counter()
    messages, kinds = generate(args.count, pages)
    generated = time.perf_counter() - started
    if len({hashlib.sha256(m).digest() for m in messages}) != len(messages):
        raise SystemExit("generated messages are not all distinct")
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("sqlite", None)] + ([("postgresql", args.database_url)]
                                         if args.database_url else [])
        for backend, url in backends:
            row, batched = run(backend, url, messages, kinds, pages, Path(tmp),
                               profile=args.profile, batch_size=args.batch_size,
                               compare=baseline)
            results[backend] = [row]
            if baseline:
                first, first_kinds = messages[:baseline], generate(baseline, pages)[1]
                alone, fingerprint = run(backend, url, first, first_kinds, pages, Path(tmp),
                                         profile=args.profile, batch_size=1, compare=baseline)
                differences = _differences(batched, fingerprint)
                row["same_as_per_message"] = not differences
                row["problems"] += differences
                results[backend].append(alone)
    print(f"generated {len(messages)} messages in {generated:.1f} s: "
          + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + f"; {args.articles} articles")
    print(f"{'backend':<11} {'mode':<12} {'messages':>8} {'seconds':>8} {'cpu_s':>7} {'msg/s':>7} "
          f"{'sql/msg':>7} {'cases':>6} {'unit p50':>9} {'p95 ms':>7} {'max ms':>7}  "
          f"target {TARGET_PER_SECOND}/s")
    for backend, rows in results.items():
        for row in rows:
            print(f"{backend:<11} {row['mode'] + ' ' + str(row['batch_size']):<12} "
                  f"{row['messages']:>8} {row['seconds']:>8} {row['cpu_s']:>7} "
                  f"{row['messages_per_s']:>7} {row['sql_per_message']:>7} "
                  f"{row['cases_opened']:>6} {row['unit_p50_ms']:>9} {row['unit_p95_ms']:>7} "
                  f"{row['unit_max_ms']:>7}  {'met' if row['meets_target'] else 'MISSED'}")
        if len(rows) == 2:
            speedup = rows[0]["messages_per_s"] / rows[1]["messages_per_s"]
            print(f"{backend}: batched is {speedup:.1f}x the per-message rate; first {baseline} "
                  "messages "
                  + ("identical both ways" if rows[0].get("same_as_per_message") else "DIFFER"))
    for backend, rows in results.items():
        for row in rows:
            checks = row["checks"]
            print(f"{backend} {row['mode']}: {checks['mail_messages']} MailMessage rows, "
                  f"{checks['duplicate_sha256']} duplicate sha256, classified "
                  f"{checks['classified']}, cases {checks['cases']}, "
                  f"verdicts {checks['verdicts']}, "
                  f"{checks['acknowledgements']} acknowledgements, "
                  f"{checks['audit_events']} audit events chained: "
                  + ("checks OK" if not row["problems"]
                     else "PROBLEMS: " + "; ".join(row["problems"])))
    print(json.dumps({"benchmark": "mail", "count": len(messages), "articles": args.articles,
                      "kinds": dict(kinds), "target_per_s": TARGET_PER_SECOND,
                      "baseline_count": baseline, **results}, ensure_ascii=False))
    if any(row["problems"] for rows in results.values() for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
