"""HTTP fetching: polite, bounded and safe.

One :class:`Fetcher` serves a whole refresh run: it keeps connections open,
limits requests per host and overall, spaces requests to the same host, and
remembers a host's ``Retry-After`` so the rest of the run leaves it alone.
Every hop of a redirect chain is checked by the SSRF guard before it is
contacted, bodies are read with a byte cap that also bounds decompression (a
gzip bomb stops at the limit), and each failure becomes one
:class:`~newsdesk.errors.FetchError` line a user can act on.

``fetch_page`` and ``fetch_feed`` are the synchronous doors for the CLI.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin, urlsplit

from newsdesk.config import Settings, get_settings
from newsdesk.errors import BlockedURLError, FetchError
from newsdesk.logs import get_logger
from newsdesk.models import Page
from newsdesk.sources.fetch.body_limits import BodyDecoder
from newsdesk.sources.fetch.politeness import HostLimiter, parse_retry_after
from newsdesk.sources.fetch.ssrf import Allowlist, GuardedBackend, check_url, split_host

if TYPE_CHECKING:
    import httpx

log = get_logger(__name__)

T = TypeVar("T")

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8, */*;q=0.5"


class HTTPStatusError(FetchError):
    """The server answered with an error status; ``status`` and ``retry_after`` say how."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        retry_after: float | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.retry_after = retry_after

    @property
    def gone(self) -> bool:
        """410 Gone: the publisher says the feed will not come back."""
        return self.status == 410


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One successful (2xx) or not-modified (304) response."""

    url: str  # what was asked for
    final_url: str  # where the body came from, after redirects
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    #: Where an unbroken chain of permanent redirects from ``url`` leads (the source's new URL).
    permanent_url: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _header(response: httpx.Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.strip() if value else None


def _status_error(url: str, status: int, retry_after: float | None) -> HTTPStatusError:
    hints = {
        401: "the feed needs a login; newsdesk fetches public feeds only",
        403: "the server refuses newsdesk; check the URL in a browser",
        404: "the address is wrong or the feed moved; check it on the site",
        410: "the publisher removed it for good; remove or replace the source",
        429: "the server is rate-limiting us; newsdesk will wait before trying again",
    }
    hint = hints.get(status)
    if hint is None and status >= 500:
        hint = "the server has a problem; newsdesk will try again later"
    message = f"{url} answered HTTP {status}"
    if retry_after is not None:
        message += f" (Retry-After {retry_after:.0f}s)"
    return HTTPStatusError(message, status=status, retry_after=retry_after, hint=hint)


class Fetcher:
    """Shared HTTP machinery for many requests; use as ``async with Fetcher(settings) as f``."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.allow = Allowlist.parse(self.settings.allowed_hosts)
        self.limiter = HostLimiter(
            self.settings.per_host_concurrency,
            self.settings.per_host_delay,
            self.settings.fetch_concurrency,
        )
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Fetcher:
        import httpx

        self._client = httpx.AsyncClient(
            transport=_guarded_transport(self.settings, self.allow),
            timeout=httpx.Timeout(
                connect=self.settings.connect_timeout,
                read=self.settings.read_timeout,
                write=self.settings.read_timeout,
                pool=None,
            ),
            headers={"User-Agent": self.settings.user_agent},
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would bypass the SSRF guard
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def get(
        self,
        url: str,
        *,
        max_bytes: int,
        accept: str = PAGE_ACCEPT,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET ``url``, following redirects hop by hop; FetchError for anything but 2xx/304.

        ``fetch_timeout`` counts from the moment the first request goes out: time spent
        queueing behind other requests to a busy host (politeness) is not the server's fault.
        """
        try:
            return await self._get(url, max_bytes, accept, etag, last_modified)
        except TimeoutError as exc:
            raise FetchError(
                f"{url} took longer than {self.settings.fetch_timeout:.0f}s in all",
                hint="the server is too slow; raise NEWSDESK_FETCH_TIMEOUT if it is worth waiting",
            ) from exc

    async def _get(
        self, url: str, max_bytes: int, accept: str, etag: str | None, last_modified: str | None
    ) -> FetchResult:
        assert self._client is not None, "use Fetcher as an async context manager"
        headers = {"Accept": accept, "Accept-Encoding": "gzip, deflate"}
        # A validator a server sent with non-ASCII bytes cannot be sent back (httpx encodes
        # headers as ASCII): it is dropped, so the source is fetched in full, not failed forever.
        if etag and etag.isascii():
            headers["If-None-Match"] = etag
        if last_modified and last_modified.isascii():
            headers["If-Modified-Since"] = last_modified
        current = url
        seen = {url}
        permanent_url: str | None = None
        unbroken_permanent = True
        deadline: float | None = None
        for _hop in range(self.settings.max_redirects + 1):
            await check_url(current, self.allow)
            _scheme, host, port = split_host(current)
            async with self.limiter.slot(f"{host}:{port}"):
                if deadline is None:
                    deadline = asyncio.get_running_loop().time() + self.settings.fetch_timeout
                async with asyncio.timeout_at(deadline):
                    response = await self._send(current, headers)
                    try:
                        status = response.status_code
                        now = datetime.now(UTC)
                        if status in REDIRECT_STATUSES:
                            target = self._redirect_target(current, response)
                            if status in PERMANENT_REDIRECTS and unbroken_permanent:
                                permanent_url = target
                            else:
                                unbroken_permanent = False
                            if target in seen:
                                raise FetchError(
                                    f"{url} redirects in a loop (back to {target})",
                                    hint="the site is misconfigured; fix the URL or try later",
                                )
                            seen.add(target)
                            current = target
                            continue
                        if status == 304:
                            return self._result(url, current, response, b"", now, permanent_url)
                        if status >= 300:
                            retry_after = parse_retry_after(_header(response, "retry-after"), now)
                            if status in (429, 503) and retry_after:
                                self.limiter.back_off(f"{host}:{port}", retry_after)
                            raise _status_error(current, status, retry_after)
                        body = await self._read_body(response, current, max_bytes)
                        return self._result(url, current, response, body, now, permanent_url)
                    finally:
                        await response.aclose()
        raise FetchError(
            f"{url} redirected more than {self.settings.max_redirects} times",
            hint="the site is misconfigured; raise NEWSDESK_MAX_REDIRECTS only if it is genuine",
        )

    async def _send(self, url: str, headers: dict[str, str]) -> httpx.Response:
        import httpx

        assert self._client is not None
        host = urlsplit(url).hostname or url
        try:
            request = self._client.build_request("GET", url, headers=headers)
            return await self._client.send(request, stream=True)
        except BlockedURLError:
            raise
        except httpx.ConnectTimeout as exc:
            raise FetchError(
                f"timed out connecting to {host} after {self.settings.connect_timeout:g}s",
                hint="the server may be down; newsdesk will try again later",
            ) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(
                f"{host} sent nothing for {self.settings.read_timeout:g}s",
                hint="the server is too slow; raise NEWSDESK_READ_TIMEOUT if it is worth waiting",
            ) from exc
        except httpx.ConnectError as exc:
            raise FetchError(
                f"cannot connect to {host}: {exc or 'connection refused'}",
                hint="check the address; the server may be down",
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"request to {host} failed: {exc or type(exc).__name__}") from exc
        except httpx.InvalidURL as exc:  # not an HTTPError: e.g. a redirect to ``data:...``
            raise FetchError(
                f"{url} led to an address that cannot be fetched: {exc}",
                hint="the server sent a broken or non-web redirect; check the URL in a browser",
            ) from exc

    @staticmethod
    def _redirect_target(current: str, response: httpx.Response) -> str:
        location = _header(response, "location")
        if not location:
            raise FetchError(
                f"{current} answered HTTP {response.status_code} without a Location to go to"
            )
        target = urljoin(current, location)
        return target.split("#", 1)[0]

    async def _read_body(self, response: httpx.Response, url: str, limit: int) -> bytes:
        import httpx

        encoding = (_header(response, "content-encoding") or "").lower()
        decoder = BodyDecoder(encoding, limit, url)
        declared = _header(response, "content-length")
        plain = encoding in ("", "identity")
        if (
            plain
            and declared
            and (declared.isascii() and declared.isdigit())
            and int(declared) > limit
        ):
            raise FetchError(
                f"{url} is {int(declared):,} bytes, over the {limit:,}-byte limit",
                hint="raise NEWSDESK_MAX_FEED_BYTES / NEWSDESK_MAX_PAGE_BYTES if it is genuine",
            )
        parts: list[bytes] = []
        try:
            async for chunk in response.aiter_raw():
                parts.append(decoder.feed(chunk))
            parts.append(decoder.finish())
        except httpx.TimeoutException as exc:
            raise FetchError(
                f"{url} stopped sending for {self.settings.read_timeout:g}s mid-body",
                hint="the server is too slow; newsdesk will try again later",
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchError(
                f"{url}: the connection closed before the whole response arrived ({exc})",
                hint="a network or server problem; newsdesk will try again later",
            ) from exc
        return b"".join(parts)

    @staticmethod
    def _result(
        url: str,
        final_url: str,
        response: httpx.Response,
        body: bytes,
        now: datetime,
        permanent_url: str | None,
    ) -> FetchResult:
        return FetchResult(
            url=url,
            final_url=final_url,
            status=response.status_code,
            content=body,
            content_type=_header(response, "content-type"),
            etag=_header(response, "etag"),
            last_modified=_header(response, "last-modified"),
            fetched_at=now,
            permanent_url=permanent_url,
        )


@functools.cache
def _ssl_context() -> Any:
    """One verifying TLS context per process, shared by every Fetcher.

    Why: loading the CA bundle costs ~60 ms of CPU, and each Fetcher loaded it
    twice (ours and httpx's default), so a refresh job of an unchanged feed (a
    304) spent ~130 ms of CPU, most of it here. A context is safe to share
    between clients, threads and event loops.
    """
    import ssl

    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _guarded_transport(settings: Settings, allow: Allowlist) -> Any:
    """httpx's transport with its connection pool on the SSRF-checking network backend."""
    import httpcore
    import httpx

    context = _ssl_context()
    transport = httpx.AsyncHTTPTransport(trust_env=False, verify=context)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=max(1, settings.fetch_concurrency),
        # httpcore walks every pooled connection twice per request: a refresh touches many
        # hosts once each, so a small idle pool is cheaper than keeping one per host
        # (800 feeds: 14.2 s -> 11.3 s CPU with 8 instead of 64).
        max_keepalive_connections=max(1, min(8, settings.fetch_concurrency)),
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(allow),  # type: ignore[arg-type]  # duck-typed backend
    )
    return transport


def run_sync(coro: Any) -> Any:
    """Run a coroutine from synchronous code, even when this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed back to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="newsdesk-fetch")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


async def fetch_page_async(url: str, settings: Settings | None = None) -> Page:
    settings = settings or get_settings()
    async with Fetcher(settings) as fetcher:
        result = await fetcher.get(url, max_bytes=settings.max_page_bytes, accept=PAGE_ACCEPT)
    return Page(
        content=result.content,
        url=result.final_url,
        origin=url,
        content_type=result.content_type,
        fetched_at=result.fetched_at,
    )


def fetch_page(url: str, settings: Settings | None = None) -> Page:
    """Download one page (SSRF guard, limits, redirects); raises FetchError with one clear line."""
    page: Page = run_sync(fetch_page_async(url, settings))
    return page


async def fetch_feed_async(
    url: str,
    settings: Settings | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    settings = settings or get_settings()
    async with Fetcher(settings) as fetcher:
        return await fetcher.get(
            url,
            max_bytes=settings.max_feed_bytes,
            accept=FEED_ACCEPT,
            etag=etag,
            last_modified=last_modified,
        )


def fetch_feed(
    url: str,
    settings: Settings | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """Download one feed document; a 304 comes back as ``result.not_modified``."""
    result: FetchResult = run_sync(
        fetch_feed_async(url, settings, etag=etag, last_modified=last_modified)
    )
    return result
