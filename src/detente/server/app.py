"""The HTTP API and the dashboard: a FastAPI app over one event store."""

import calendar
import datetime as dt
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from detente import __version__
from detente.analysis import dyad_series
from detente.data_files import data_path, read_tsv
from detente.errors import ConfigError, StoreError
from detente.records import DyadPoint, Story
from detente.server import queries
from detente.server.access import QueryTimeout, ReadOnlyError, StoreAccess
from detente.server.limits import ServerLimits
from detente.server.middleware import BodyLimit, SecurityHeaders

log = logging.getLogger(__name__)

STATIC = Path(str(resources.files("detente.server") / "static"))

# A detector of change points: given the points of a series, the shifts it finds, each
# a mapping (or an object with ``to_dict()``), e.g. {"period": ..., "label": ...}.
ShiftDetector = Callable[[Sequence[DyadPoint]], Iterable[Any]]

Freq = Literal["day", "week", "month", "year"]
Modality = Literal["asserted", "negated", "hypothetical", "future", "reported"]

COUNTRY = r"^[A-Za-z]{3}$"
ACTOR = r"^[A-Za-z0-9]{3,24}$"
ID = r"^[\w.:-]{1,128}$"


class ApiError(Exception):
    """An error with a status and a message that can be shown to the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class CodeRequest(BaseModel):
    """Text to code; the events come back in the event-record contract."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="the text to code (plain text)")
    date: dt.date | None = Field(None, description="story date, YYYY-MM-DD")
    store: bool = Field(False, description="also store the story and its events")
    story_id: str | None = Field(None, pattern=ID, description="id to store the story under")
    title: str | None = Field(None, max_length=500)
    url: str | None = Field(None, max_length=2000, description="http(s) address of the story")

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return value

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        return value


def _error(status: int, message: str, detail: list[dict[str, Any]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message, "status": status}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(body, status_code=status)


def _period_end(period: dt.date, freq: str) -> dt.date:
    if freq == "day":
        return period
    if freq == "week":
        return period + dt.timedelta(days=6)
    if freq == "month":
        return period.replace(day=calendar.monthrange(period.year, period.month)[1])
    return period.replace(month=12, day=31)


def _shift_dict(shift: Any) -> Any:
    if hasattr(shift, "to_dict"):
        return shift.to_dict()
    if isinstance(shift, Mapping):
        return dict(shift)
    raise TypeError(f"a shift detector returned {type(shift).__name__}, not a mapping")


def _country_names() -> dict[str, str]:
    return {
        row["iso3"]: row["name"] for row in read_tsv(data_path("countries.tsv"), ("iso3", "name"))
    }


class _CoderHolder:
    """Builds the coder once, on first use, and lets one request use it at a time."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._coder: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._coder is not None

    def code(self, story: Story, wait_s: float) -> Story:
        if not self._lock.acquire(timeout=wait_s):
            raise ApiError(503, "the coder is busy; try again shortly")
        try:
            if self._coder is None:
                self._coder = self._factory()
            return next(iter(self._coder.code_stories([story])))
        finally:
            self._lock.release()


class _LexiconHolder:
    """The actor lexicon and knowledge base for /api/actors, loaded on first use."""

    def __init__(self) -> None:
        self._lexicon: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        with self._lock:
            if self._lexicon is None:
                from detente.actors.lexicon import ActorLexicon

                self._lexicon = ActorLexicon.load()
            return self._lexicon


def _default_coder() -> Any:
    from detente.coder import Coder

    return Coder()


def create_app(
    db_path: str | os.PathLike[str],
    *,
    read_only: bool = False,
    coder_factory: Callable[[], Any] | None = None,
    limits: ServerLimits | None = None,
    shift_detector: ShiftDetector | None = None,
) -> FastAPI:
    """The API and dashboard over the event store at ``db_path``.

    The store is opened now (``read_only`` refuses every write with 403) and closed when
    the app shuts down. ``coder_factory`` builds the coder for POST /api/code on its
    first use (default: ``Coder()``); tests pass one that returns a coder they built.
    ``shift_detector``, when given, fills the ``shifts`` of each dyad series.
    """
    limits = limits or ServerLimits()
    access = StoreAccess(db_path, read_only=read_only, query_timeout_s=limits.query_timeout_s)
    coder = _CoderHolder(coder_factory or _default_coder)
    actor_lexicon = _LexiconHolder()
    names = _country_names()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        access.close()

    app = FastAPI(
        title="detente",
        version=__version__,
        description="Political events coded from news, with provenance, and dyad "
        "cooperation/conflict series. Every list is paged with `limit` and `offset`.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.access = access
    app.state.limits = limits
    app.state.coder = coder

    # -- errors: always JSON, never a stack trace ----------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        response = _error(exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {
                "loc": ".".join(str(part) for part in err.get("loc", ())),
                "message": err.get("msg", "invalid"),
            }
            for err in exc.errors()
        ]
        summary = "; ".join(f"{d['loc']}: {d['message']}" for d in detail)
        return _error(422, f"invalid request: {summary}", detail)

    @app.exception_handler(ConfigError)
    async def _config_error(request: Request, exc: ConfigError) -> JSONResponse:
        return _error(422, f"invalid request: {exc}")

    @app.exception_handler(QueryTimeout)
    async def _timeout(request: Request, exc: QueryTimeout) -> JSONResponse:
        return _error(503, "the query took too long and was stopped; narrow it down")

    @app.exception_handler(ReadOnlyError)
    async def _read_only(request: Request, exc: ReadOnlyError) -> JSONResponse:
        return _error(403, "this server is read-only; it does not store anything")

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.error("event store error on %s %s: %s", request.method, request.url.path, exc)
        return _error(500, "the event store could not answer")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(500, "internal server error")

    # -- pages ---------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # -- API -----------------------------------------------------------------------

    Limit = Annotated[
        int, Query(ge=1, le=limits.max_page, description=f"page size, at most {limits.max_page}")
    ]
    Offset = Annotated[int, Query(ge=0, le=limits.max_offset)]

    @app.get("/api/info", tags=["store"], summary="Server and store summary")
    def info() -> dict[str, Any]:
        counts = access.read(lambda s: s.counts())
        return {
            "version": __version__,
            "read_only": access.read_only,
            "counts": counts,
            "coder_loaded": coder.loaded,
            "limits": {
                "max_body_bytes": limits.max_body_bytes,
                "max_text_chars": limits.max_text_chars,
                "max_page": limits.max_page,
                "query_timeout_s": limits.query_timeout_s,
            },
        }

    @app.get("/api/countries", tags=["store"], summary="Countries that occur in events")
    def countries() -> dict[str, Any]:
        rows = access.read(queries.countries)
        return {
            "items": [
                {"code": code, "name": names.get(code, code), "events": n} for code, n in rows
            ]
        }

    @app.get("/api/events", tags=["events"], summary="Events, filtered and paged")
    def events(
        a: Annotated[str | None, Query(pattern=COUNTRY, description="dyad: country A")] = None,
        b: Annotated[str | None, Query(pattern=COUNTRY, description="dyad: country B")] = None,
        directed: Annotated[bool, Query(description="dyad: only A → B")] = False,
        actor: Annotated[
            str | None, Query(pattern=ACTOR, description="source or target code, e.g. KORGOV")
        ] = None,
        country: Annotated[
            str | None, Query(pattern=COUNTRY, description="source or target country")
        ] = None,
        cameo: Annotated[str | None, Query(pattern=r"^\d{2,4}$", description="CAMEO code")] = None,
        root: Annotated[str | None, Query(pattern=r"^\d{2}$", description="CAMEO root")] = None,
        plover: Annotated[
            str | None, Query(pattern=r"^[A-Za-z_-]{1,32}$", description="PLOVER type")
        ] = None,
        quad_class: Annotated[
            list[Annotated[int, Field(ge=0, le=4)]], Query(description="quad class (repeatable)")
        ] = [],  # noqa: B006 - FastAPI copies defaults
        modality: Annotated[list[Modality], Query(description="modality (repeatable)")] = [],  # noqa: B006
        occurred: Annotated[
            bool, Query(description="only events that happened (asserted or reported)")
        ] = False,
        since: Annotated[dt.date | None, Query(description="from this date (inclusive)")] = None,
        until: Annotated[dt.date | None, Query(description="to this date (inclusive)")] = None,
        story_id: Annotated[str | None, Query(max_length=512)] = None,
        q: Annotated[
            str | None, Query(min_length=1, max_length=200, description="text in the sentence")
        ] = None,
        limit: Limit = limits.default_page,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        if (a is None) != (b is None):
            raise ApiError(422, "invalid request: a dyad needs both a and b")
        if directed and a is None:
            raise ApiError(422, "invalid request: directed applies to a dyad (a and b)")
        if since is not None and until is not None and since > until:
            raise ApiError(422, "invalid request: since is after until")
        flt = queries.EventFilter(
            a=a.upper() if a else None,
            b=b.upper() if b else None,
            directed=directed,
            actor=actor.upper() if actor else None,
            country=country.upper() if country else None,
            cameo=cameo,
            root=root,
            plover=plover,
            quad_class=list(quad_class),
            modality=list(modality),
            occurred=occurred,
            since=since,
            until=until,
            story_id=story_id,
            q=q,
        )
        items, total = access.read(
            lambda s: queries.list_events(s, flt, limit=limit, offset=offset)
        )
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @app.get("/api/events/{event_id}", tags=["events"], summary="One event with provenance")
    def event(event_id: Annotated[str, PathParam(pattern=ID)]) -> dict[str, Any]:
        item = access.read(lambda s: queries.get_event(s, event_id))
        if item is None:
            raise ApiError(404, f"no event {event_id}")
        return item

    @app.get("/api/dyads/top", tags=["dyads"], summary="Country pairs with the most events")
    def top(
        limit: Annotated[int, Query(ge=1, le=limits.max_top)] = 10,
        directed: bool = False,
    ) -> dict[str, Any]:
        items = access.read(lambda s: queries.top_dyads(s, limit=limit, directed=directed))
        for item in items:
            item["a_name"] = names.get(item["a"], item["a"])
            item["b_name"] = names.get(item["b"], item["b"])
        return {"items": items, "limit": limit, "directed": directed}

    @app.get("/api/dyads/{a}/{b}/series", tags=["dyads"], summary="A dyad's series per period")
    def series(
        request: Request,
        a: Annotated[str, PathParam(pattern=COUNTRY)],
        b: Annotated[str, PathParam(pattern=COUNTRY)],
        freq: Freq = "month",
        directed: bool = False,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> dict[str, Any]:
        if since is not None and until is not None and since > until:
            raise ApiError(422, "invalid request: since is after until")
        a, b = a.upper(), b.upper()
        points = access.read(
            lambda s: dyad_series(s, a, b, freq=freq, directed=directed, since=since, until=until)
        )
        root_path = request.scope.get("root_path", "")
        out = []
        for point in points:
            d = point.to_dict()
            d["neutral"] = point.events - (
                point.verbal_cooperation
                + point.material_cooperation
                + point.verbal_conflict
                + point.material_conflict
            )
            end = _period_end(point.period, freq)
            d["until"] = end.isoformat()
            params = {"a": a, "b": b, "occurred": "true"}
            if directed:
                params["directed"] = "true"
            params |= {"since": d["period"], "until": d["until"]}
            d["events_url"] = f"{root_path}/api/events?{urlencode(params)}"
            out.append(d)
        return {
            "a": a,
            "b": b,
            "a_name": names.get(a, a),
            "b_name": names.get(b, b),
            "freq": freq,
            "directed": directed,
            "points": out,
            # Change points of the series, filled when create_app is given a
            # shift_detector; an empty list otherwise.
            "shifts": [_shift_dict(s) for s in shift_detector(points)] if shift_detector else [],
        }

    @app.get("/api/stories", tags=["stories"], summary="Stories (metadata), paged")
    def stories(limit: Limit = limits.default_page, offset: Offset = 0) -> dict[str, Any]:
        def work(s):
            return s.stories(limit=limit, offset=offset), queries.story_total(s)

        items, total = access.read(work)
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @app.get(
        "/api/stories/{story_id:path}",
        tags=["stories"],
        summary="One story with its text, sentences and events",
    )
    def story(story_id: Annotated[str, PathParam(max_length=512)]) -> dict[str, Any]:
        def work(s):
            found = s.story(story_id)
            if found is not None:
                found["events"] = queries.story_events(s, story_id)
            return found

        found = access.read(work)
        if found is None:
            raise ApiError(404, f"no story {story_id}")
        return found

    @app.get("/api/actors", tags=["actors"], summary="What a name resolves to on a date")
    def actors(
        name: Annotated[str, Query(min_length=1, max_length=200)],
        date: dt.date | None = None,
        country: Annotated[list[str] | None, Query(max_length=10)] = None,
    ) -> dict[str, Any]:
        from detente.actors.lookup import lookup_actor

        countries = tuple(c.upper() for c in country or ())
        matches = lookup_actor(actor_lexicon.get(), name, date, countries)
        return {
            "name": name,
            "date": date.isoformat() if date else None,
            "matches": [m.to_dict() for m in matches],
        }

    @app.post(
        "/api/code",
        tags=["coding"],
        summary="Code a text; optionally store it",
        responses={
            403: {"description": "store asked of a read-only server"},
            413: {"description": "body or text too long"},
        },
    )
    def code(body: CodeRequest) -> dict[str, Any]:
        if len(body.text) > limits.max_text_chars:
            raise ApiError(
                413,
                f"the text has {len(body.text)} characters; the limit is {limits.max_text_chars}",
            )
        if body.store and access.read_only:
            raise ApiError(403, "this server is read-only; it does not store anything")
        story_id = body.story_id or (
            "api-" + hashlib.sha256(body.text.encode("utf-8")).hexdigest()[:16]
        )
        coded = coder.code(
            Story(
                id=story_id,
                text=body.text,
                title=body.title,
                date=body.date,
                source="api",
                url=body.url,
                origin="api",
            ),
            limits.code_wait_s,
        )
        report = None
        if body.store:
            report = access.write(lambda s: s.add_stories([coded])).to_dict()
        return {
            "story_id": story_id,
            "events": [e.to_dict() for e in coded.events],
            "stored": body.store,
            "report": report,
        }

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    return app
