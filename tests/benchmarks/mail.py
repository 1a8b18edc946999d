"""Benchmark: ingest generated takedown notices from a Maildir into SQLite and PostgreSQL.

Usage: python tests/benchmarks/mail.py [--count 10000] [--articles 200]
                                       [--database-url postgresql+psycopg://...] [--profile]
Generates ``--count`` distinct messages (English DMCA, Chinese 侵权通知, EU DSA, incomplete
notices, 5% inquiries, 5% automatic replies) from distinct senders about ``--articles`` of our
articles, then times ``mailroom.receive`` over the Maildir: parsing, classification, notice
extraction, verification against the claimed originals and case creation, one commit per
message. SQLite runs in a temporary instance; PostgreSQL (when --database-url is given) in a
throw-away schema, dropped afterwards. Checks the stored result, prints a table and one JSON
line. Target: at least 200 messages/s.
"""

import argparse
import cProfile
import hashlib
import json
import pstats
import random
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
    from moderation.db import transaction
    from moderation.intake.urls import canonical_url
    from moderation.models import Article, Original, Publisher, PublisherDomain

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
    from moderation.db import get_session

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

    from moderation.db import make_engine, upgrade

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


def _checks(session, count: int, kinds: Counter, receipt) -> tuple[dict, list[str]]:
    """What was stored, and every way it differs from what was sent."""
    from sqlmodel import func, select

    from moderation.models import Case, MailMessage, Notice

    notices = count - kinds["inquiry"] - kinds["auto_reply"]
    expected = {"notice": notices, "inquiry": kinds["inquiry"], "auto_reply": kinds["auto_reply"]}
    stored = session.exec(select(func.count()).select_from(MailMessage)).one()
    repeated = session.exec(select(func.count()).select_from(
        select(MailMessage.sha256).group_by(MailMessage.sha256)
        .having(func.count() > 1).subquery())).one()
    labels = Counter(dict(session.exec(select(MailMessage.classification, func.count())
                                       .group_by(MailMessage.classification)).all()))
    cases = Counter(dict(session.exec(select(Case.kind, func.count()).group_by(Case.kind)).all()))
    verdicts = Counter(item.get("verdict") for (items,) in
                       session.execute(select(Notice.verification)) for item in items)
    found = {"mail_messages": stored, "duplicate_sha256": repeated, "classified": dict(labels),
             "cases": dict(cases), "verdicts": dict(verdicts)}
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
    return found, problems


def run(backend: str, url: str | None, messages: list[bytes], kinds: Counter, pages: list[dict],
        tmp: Path, profile: bool) -> dict:
    """Seed a fresh database, take the Maildir in, time it, check what was stored."""
    import sqlalchemy as sa

    from moderation import create_app, mailroom
    from moderation.db import get_engine, get_session
    from moderation.mailbox import MaildirSource

    url, schema = _database(url, tmp)
    instance = tmp / f"instance-{backend}"
    app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url,
                      "MAIL_FROM": "desk@uscntv.com"})
    box = tmp / f"Maildir-{backend}"
    _write_maildir(box, messages)
    durations: list[float] = []
    real_ingest = mailroom.ingest

    def timed_ingest(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real_ingest(*args, **kwargs)
        finally:
            durations.append(time.perf_counter() - started)

    profiler = cProfile.Profile() if profile else None
    try:
        _seed(app, pages)
        with app.app_context(), MaildirSource(box) as source:
            session = get_session()
            mailroom.ingest = timed_ingest
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            receipt = mailroom.receive(session, source, config=app.config,
                                       source_name=f"maildir:{box}")
            seconds = time.perf_counter() - started
            if profiler:
                profiler.disable()
            mailroom.ingest = real_ingest
            found, problems = _checks(session, len(messages), kinds, receipt)
            left = sum(1 for _ in (box / "new").iterdir())
            if left:
                problems.append(f"{left} messages left in new/")
            session.close()
            get_engine().dispose()
    finally:
        mailroom.ingest = real_ingest
        if schema:
            with sa.create_engine(url.split("?")[0]).begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    if profiler:
        print(f"--- profile ({backend}): top functions by cumulative, then own time")
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)
    ordered = sorted(durations)
    return {"messages": len(messages), "seconds": round(seconds, 2),
            "messages_per_s": round(len(messages) / seconds, 1),
            "cases_opened": receipt.cases_opened,
            "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 1),
            "meets_target": len(messages) / seconds >= TARGET_PER_SECOND,
            "checks": found, "problems": problems}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000, help="messages to generate")
    parser.add_argument("--articles", type=int, default=200,
                        help="our articles in the database, the demo article included")
    parser.add_argument("--database-url", default=None,
                        help="also ingest into this PostgreSQL database (a throw-away schema)")
    parser.add_argument("--profile", action="store_true",
                        help="print where receive() spends its time (cProfile)")
    args = parser.parse_args()
    if args.articles < 1 + 2 * len(PUBLISHERS) or args.count < 1:
        raise SystemExit(f"--articles must be at least {1 + 2 * len(PUBLISHERS)}, --count >= 1")
    # Article texts come from a seeded generator, so every backend gets the same pages.
    pages = _pages(args.articles)
    started = time.perf_counter()
    messages, kinds = generate(args.count, pages)
    generated = time.perf_counter() - started
    if len({hashlib.sha256(m).digest() for m in messages}) != len(messages):
        raise SystemExit("generated messages are not all distinct")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("sqlite", None)] + ([("postgresql", args.database_url)]
                                         if args.database_url else [])
        for backend, url in backends:
            results[backend] = run(backend, url, messages, kinds, pages, Path(tmp),
                                   args.profile)
    print(f"generated {len(messages)} messages in {generated:.1f} s: "
          + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + f"; {args.articles} articles")
    print(f"{'backend':<11} {'messages':>8} {'seconds':>8} {'msg/s':>7} {'cases':>6} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  target {TARGET_PER_SECOND}/s")
    for backend, row in results.items():
        print(f"{backend:<11} {row['messages']:>8} {row['seconds']:>8} {row['messages_per_s']:>7} "
              f"{row['cases_opened']:>6} {row['p50_ms']:>7} {row['p95_ms']:>7} {row['max_ms']:>7}  "
              f"{'met' if row['meets_target'] else 'MISSED'}")
    for backend, row in results.items():
        checks = row["checks"]
        print(f"{backend}: {checks['mail_messages']} MailMessage rows, "
              f"{checks['duplicate_sha256']} duplicate sha256, classified {checks['classified']}, "
              f"cases {checks['cases']}, verdicts {checks['verdicts']}: "
              + ("checks OK" if not row["problems"] else "PROBLEMS: " + "; ".join(row["problems"])))
    print(json.dumps({"benchmark": "mail", "count": len(messages), "articles": args.articles,
                      "kinds": dict(kinds), "target_per_s": TARGET_PER_SECOND, **results},
                     ensure_ascii=False))
    if any(row["problems"] for row in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
