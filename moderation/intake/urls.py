"""URL canonicalisation: the one rule deciding when two URLs name the same page."""

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track the reader, never select content.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid",
        "igshid", "_ga", "_gl", "ref_src", "spm", "from", "share_token", "mkt_tok", "cmpid",
        "ocid", "ncid", "srsltid", "s_cid", "icid",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
STRIPPED_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
_URL_IN_TEXT = re.compile(r"\bhttps?://[^\s<>\"'()\[\]{}，。、）（]+", re.IGNORECASE)


class URLError(ValueError):
    """A string that cannot be read as a web address."""


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_host(host: str) -> str:
    """Lower-case, IDNA-decoded host without www./m. prefixes or a trailing dot."""
    host = host.strip().rstrip(".").lower()
    try:
        host = host.encode("ascii").decode("idna") if "xn--" in host else host
    except UnicodeError:
        pass
    stripped = True
    while stripped:  # "www.m.example.com" loses both, so the result is stable when re-read
        stripped = False
        for prefix in STRIPPED_HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") >= 2:
                host, stripped = host[len(prefix):], True
                break
    return host


def canonical_url(url: str, base: str | None = None) -> str:
    """Return the canonical form of ``url`` (resolved against ``base`` when relative).

    https and http are folded to https, since publishers serve both; the host loses
    www./m. prefixes; default ports, fragments, tracking parameters and trailing
    slashes go; remaining query parameters are sorted so that order does not matter.
    """
    if url is None:
        raise URLError("no address given")
    url = url.strip()
    if not url:
        raise URLError("empty address")
    if base:
        try:
            url = urljoin(base, url)
        except ValueError as exc:
            raise URLError(f"not a valid address: {exc}") from None
    if url.startswith("//"):
        url = "https:" + url
    elif "://" not in url and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", url, re.IGNORECASE):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise URLError(f"not a valid address: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise URLError(f"not a web address (scheme {scheme or 'missing'!r})")
    if not parts.hostname:
        raise URLError("address without a host name")
    host = canonical_host(parts.hostname)
    if not host or any(ch.isspace() or not ch.isprintable() for ch in host):
        raise URLError("address with an unusable host name")
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    # https is the canonical scheme, so an explicit :443 on http:// is the default too.
    if port is not None and port not in (DEFAULT_PORTS.get(scheme), 443):
        host = f"{host}:{port}"
    path = quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=-._~%")
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
        for index_page in ("/index.html", "/index.htm", "/index.php"):
            if path.endswith(index_page):
                path = path[: -len(index_page)] or "/"
    query_pairs = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    query = urlencode(sorted(query_pairs))
    return urlunsplit(("https", host, path, query, ""))


def find_urls(text: str) -> list[str]:
    """Web addresses written in free text, trailing punctuation removed, in order of appearance."""
    found = []
    for match in _URL_IN_TEXT.finditer(text or ""):
        candidate = match.group(0).rstrip(".,;:!?…'\"。，；：！？")
        found.append(candidate)
    return found
