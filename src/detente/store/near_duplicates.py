"""Near-duplicate stories: wire copies with small edits, found by shingling and MinHash.

A story's text is normalised (Unicode NFKC, lower case, words only) and cut into
overlapping word ``shingle``-grams. A MinHash signature of ``num_perm`` values estimates
the Jaccard similarity of two shingle sets; locality-sensitive hashing over ``bands``
bands of the signature finds the candidate pairs without comparing every story with
every other. A candidate is a near-duplicate when the estimated Jaccard similarity
reaches ``threshold`` (default 0.8): a changed typo, a trailing line or a changed
headline (titles are not part of the text compared) keep a wire copy above it.

Two ways to use it:

- :class:`NearDuplicateIndex` is fed texts one by one (``add`` returns the id of the
  earlier near-duplicate) and lives in memory; :meth:`NearDuplicateIndex.from_store`
  fills one from the signatures kept in a store.
- :func:`mark_near_duplicates` keeps the store's ``story_signatures`` and
  ``story_bands`` tables in step with its stories (only new or changed stories are
  hashed) and writes ``stories.duplicate_of``: for each story, the id of the earliest
  story (by date, then id) it is a near-duplicate of, always an original (never a
  story that is itself a duplicate). Call it after each ingest.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import duckdb
import numpy as np

from detente.errors import ConfigError, StoreError
from detente.store.eventstore import EventStore

_WORD = re.compile(r"\w+")
# A Mersenne-style prime above 2**32: (a*x + b) mod P with a, b, x below 2**32 fits in
# 64 bits, so numpy computes the permutations without overflow.
_PRIME = np.uint64(4294967311)
_MAX32 = (1 << 32) - 1


@dataclass(frozen=True, slots=True)
class MinHashScheme:
    """Parameters that make two signatures comparable; stored with each signature."""

    num_perm: int = 128
    bands: int = 32
    shingle: int = 3
    seed: int = 1

    def __post_init__(self) -> None:
        for name in ("num_perm", "bands", "shingle"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be a positive integer, got {value!r}")
        if self.num_perm % self.bands:
            raise ConfigError(
                f"num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})"
            )

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands

    @property
    def name(self) -> str:
        return f"minhash-w{self.shingle}-p{self.num_perm}-b{self.bands}-s{self.seed}"


def shingles(text: str, size: int = 3) -> set[str]:
    """Overlapping word ``size``-grams of the normalised text (the whole text when shorter)."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text or "").casefold())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _hash32(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=4).digest(), "big")


class MinHasher:
    """MinHash signatures for one :class:`MinHashScheme`."""

    def __init__(self, scheme: MinHashScheme | None = None) -> None:
        self.scheme = scheme or MinHashScheme()
        rng = np.random.default_rng(self.scheme.seed)
        self._a = rng.integers(1, _MAX32, size=self.scheme.num_perm, dtype=np.uint64)
        self._b = rng.integers(0, _MAX32, size=self.scheme.num_perm, dtype=np.uint64)

    def signature(self, text: str) -> np.ndarray:
        """``num_perm`` unsigned 64-bit minima; an empty text gets all maxima."""
        grams = shingles(text, self.scheme.shingle)
        if not grams:
            return np.full(self.scheme.num_perm, int(_PRIME), dtype=np.uint64)
        x = np.fromiter((_hash32(g) for g in grams), dtype=np.uint64, count=len(grams))
        values = (np.outer(x, self._a) + self._b) % _PRIME
        return values.min(axis=0)

    def bands(self, signature: np.ndarray) -> list[int]:
        """One signed 64-bit hash per band (the band number is part of the hash)."""
        rows = self.scheme.rows
        out = []
        for band in range(self.scheme.bands):
            chunk = signature[band * rows : (band + 1) * rows].astype("<u8").tobytes()
            digest = hashlib.blake2b(chunk, digest_size=8, person=b"band%04d" % band).digest()
            out.append(int.from_bytes(digest, "big", signed=True))
        return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of signature positions that agree."""
    return float(np.mean(a == b))


def _check_threshold(threshold: float) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise ConfigError(f"threshold must be a number in (0, 1], got {threshold!r}")
    if not 0.0 < float(threshold) <= 1.0:
        raise ConfigError(f"threshold must be in (0, 1], got {threshold!r}")
    return float(threshold)


class NearDuplicateIndex:
    """An in-memory LSH index of story signatures, fed incrementally.

    >>> index = NearDuplicateIndex()
    >>> index.add("a", text)          # None: nothing earlier is like it
    >>> index.add("b", text + " (Reporting by X)")   # "a"
    """

    def __init__(self, threshold: float = 0.8, *, scheme: MinHashScheme | None = None) -> None:
        self.threshold = _check_threshold(threshold)
        self.hasher = MinHasher(scheme)
        self._signatures: dict[str, np.ndarray] = {}
        self._original: dict[str, str] = {}  # duplicate id -> original id
        self._buckets: dict[int, list[str]] = {}

    @property
    def scheme(self) -> MinHashScheme:
        return self.hasher.scheme

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._signatures

    def query(self, text: str) -> list[tuple[str, float]]:
        """Indexed stories whose estimated similarity reaches the threshold, best first."""
        return self._matches(self.hasher.signature(text))

    def _matches(
        self, signature: np.ndarray, bands: list[int] | None = None
    ) -> list[tuple[str, float]]:
        seen: dict[str, float] = {}
        for band in bands if bands is not None else self.hasher.bands(signature):
            for other in self._buckets.get(band, ()):
                if other not in seen:
                    seen[other] = similarity(signature, self._signatures[other])
        found = [(sid, sim) for sid, sim in seen.items() if sim >= self.threshold]
        order = {sid: i for i, sid in enumerate(self._signatures)}
        return sorted(found, key=lambda item: (-item[1], order[item[0]]))

    def add(self, story_id: str, text: str) -> str | None:
        """Index a story; return the id of the earlier story it near-duplicates, else None.

        The answer is an original: when the closest earlier story is itself a copy, the
        story it copies is returned. Adding an id again replaces its text.
        """
        if story_id in self._signatures:
            self.remove(story_id)
        signature = self.hasher.signature(text)
        return self._insert(story_id, signature)

    def _insert(
        self,
        story_id: str,
        signature: np.ndarray,
        *,
        known: bool = False,
        original: str | None = None,
    ) -> str | None:
        bands = self.hasher.bands(signature)
        if not known:
            matches = self._matches(signature, bands)
            if matches:
                best = matches[0][0]
                original = self._original.get(best, best)
        self._signatures[story_id] = signature
        for band in bands:
            self._buckets.setdefault(band, []).append(story_id)
        if original is not None:
            self._original[story_id] = original
        return original

    def remove(self, story_id: str) -> None:
        signature = self._signatures.pop(story_id, None)
        if signature is None:
            return
        for band in self.hasher.bands(signature):
            bucket = self._buckets.get(band, [])
            if story_id in bucket:
                bucket.remove(story_id)
        self._original.pop(story_id, None)

    def original_of(self, story_id: str) -> str | None:
        return self._original.get(story_id)

    @classmethod
    def from_store(
        cls,
        store: EventStore,
        threshold: float = 0.8,
        *,
        scheme: MinHashScheme | None = None,
    ) -> NearDuplicateIndex:
        """An index holding the signatures a store keeps (see :func:`mark_near_duplicates`).

        Stories come in date order (then id), with the ``duplicate_of`` the store
        recorded, so that ``add`` of a new text answers as ``mark_near_duplicates``
        would for a story dated after all of them.
        """
        index = cls(threshold, scheme=scheme)
        rows = store.query(
            "SELECT g.story_id, g.signature, s.duplicate_of FROM story_signatures g "
            "JOIN stories s ON s.id = g.story_id AND s.content_hash = g.content_hash "
            "WHERE g.scheme = ? ORDER BY s.date NULLS LAST, s.id",
            [index.scheme.name],
        )
        for story_id, signature, duplicate_of in rows:
            signature = np.asarray(signature, dtype=np.uint64)
            index._insert(story_id, signature, known=True, original=duplicate_of)
        return index


DEFAULT_CHUNK_SIZE = 1000


def _check_chunk_size(chunk_size: int) -> int:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ConfigError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    return chunk_size


def sync_signatures(
    store: EventStore,
    hasher: MinHasher | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> int:
    """Hash the stories that have no signature for this scheme (or a stale one).

    Returns how many stories were hashed. Signatures of stories that are gone, or whose
    content changed, are dropped. The stories to hash stream in from a second cursor,
    ``chunk_size`` at a time, and each chunk's signatures and band hashes are written
    before the next is read: only one chunk of texts is ever held in memory. That
    cursor sees committed stories only: call this outside a transaction, or in one that
    has not written stories (as :func:`mark_near_duplicates` does).
    """
    chunk_size = _check_chunk_size(chunk_size)
    hasher = hasher or MinHasher()
    name = hasher.scheme.name
    stale = (
        " SELECT g.story_id FROM story_signatures g LEFT JOIN stories s ON s.id = g.story_id"
        " WHERE s.id IS NULL OR s.content_hash <> g.content_hash OR g.scheme <> ?"
    )
    store.query(f"DELETE FROM story_bands WHERE story_id IN ({stale})", [name])
    store.query(f"DELETE FROM story_signatures WHERE story_id IN ({stale})", [name])
    # No signature of this scheme for this content: untouched by the deletes above, so
    # the reading cursor (which cannot see them before they are committed) agrees.
    todo_sql = (
        "SELECT s.id, s.content_hash, s.text FROM stories s "
        "LEFT JOIN story_signatures g ON g.story_id = s.id "
        "AND g.content_hash = s.content_hash AND g.scheme = ? WHERE g.story_id IS NULL"
    )
    reader = store.con.cursor()
    hashed = 0
    try:
        result = reader.execute(todo_sql, [name])
        while rows := result.fetchmany(chunk_size):
            _write_signatures(store, hasher, rows)
            hashed += len(rows)
    except duckdb.Error as exc:
        raise StoreError(f"{store.path}: reading stories to hash failed: {exc}") from exc
    finally:
        reader.close()
    return hashed


def _write_signatures(store: EventStore, hasher: MinHasher, rows: list[tuple]) -> None:
    """Signatures and band hashes of one chunk of ``(id, content_hash, text)`` rows."""
    nbands = hasher.scheme.bands
    ids = [row[0] for row in rows]
    signatures = [hasher.signature(row[2]) for row in rows]
    bands = [value for signature in signatures for value in hasher.bands(signature)]
    store.query(
        "INSERT INTO story_signatures (story_id, content_hash, scheme, signature) "
        "SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?, unnest(?::UBIGINT[][])",
        [ids, [row[1] for row in rows], hasher.scheme.name, [s.tolist() for s in signatures]],
    )
    store.query(
        "INSERT INTO story_bands (story_id, band, hash) "
        "SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]), unnest(?::BIGINT[])",
        [[sid for sid in ids for _ in range(nbands)], list(range(nbands)) * len(ids), bands],
    )


# The LSH candidates: pairs of stories (x < y) that share a band hash, found among the
# band hashes that occur more than once (an aggregate, which DuckDB spills to disk when
# it must, where a self-join of every band hash needs them all in memory).
_PAIRS_SQL = """
WITH shared AS (SELECT band, hash FROM story_bands GROUP BY band, hash HAVING count(*) > 1),
members AS (
    SELECT b.story_id, b.band, b.hash FROM story_bands b
    SEMI JOIN shared s ON s.band = b.band AND s.hash = b.hash
)
SELECT DISTINCT a.story_id AS x, b.story_id AS y
FROM members a
JOIN members b ON a.band = b.band AND a.hash = b.hash AND a.story_id < b.story_id
"""

_PAIR_CHUNK = 20_000  # candidate pairs compared at a time (2 x 10 MB of signature rows)

# Temporary tables of one pass (this connection only; dropped at the end).
_PAIRS, _RANKS, _MARKS = "near_dup_pairs", "near_dup_ranks", "near_dup_marks"


def _assign(store: EventStore, threshold: float, num_perm: int, chunk_size: int) -> int:
    """Fill the temporary table of marks ``(id, original, sim)``; return how many.

    DuckDB finds the candidate pairs and numbers the stories in them oldest first (date,
    undated last, then id). Their signatures come into one numpy matrix (``num_perm``
    32-bit integers a story, nothing else: no text, no per-story Python object) and the
    pairs stream through in chunks, as row numbers, to find for each story the earlier
    candidate with the highest estimated similarity (ties: the earliest).
    """
    con = store.con
    store.query(f"CREATE OR REPLACE TEMP TABLE {_PAIRS} AS {_PAIRS_SQL}")
    store.query(
        f"CREATE OR REPLACE TEMP TABLE {_RANKS} AS "
        "SELECT s.id, row_number() OVER (ORDER BY s.date NULLS LAST, s.id) - 1 AS rank "
        f"FROM stories s SEMI JOIN (SELECT x AS id FROM {_PAIRS} UNION SELECT y FROM {_PAIRS}) "
        "l ON l.id = s.id"
    )
    (linked,) = store.query(f"SELECT count(*) FROM {_RANKS}")[0]
    store.query(f"CREATE OR REPLACE TEMP TABLE {_MARKS} (id VARCHAR, original VARCHAR, sim DOUBLE)")
    if not linked:
        return 0
    try:
        signatures = _Signatures(linked, num_perm)
        result = con.execute(
            f"SELECT r.rank, g.signature FROM {_RANKS} r "
            "JOIN story_signatures g ON g.story_id = r.id"
        )
        while rows := result.fetchmany(chunk_size):
            ranks = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
            signatures.put(ranks, np.asarray([row[1] for row in rows], dtype=np.uint64))

        best = np.full(linked, -1, dtype=np.int64)  # the earlier story most like it
        best_sim = np.zeros(linked, dtype=np.float64)
        result = con.execute(
            f"SELECT a.rank, b.rank FROM {_PAIRS} p "
            f"JOIN {_RANKS} a ON a.id = p.x JOIN {_RANKS} b ON b.id = p.y"
        )
        while rows := result.fetchmany(_PAIR_CHUNK):
            pair = np.asarray(rows, dtype=np.int64).reshape(-1, 2)
            _keep_best(signatures, pair, threshold, best, best_sim)
    except duckdb.Error as exc:
        raise StoreError(f"{store.path}: finding near-duplicates failed: {exc}") from exc
    del signatures

    # Follow each story's best match back to a story with none, the original: row
    # numbers only decrease along the way, so pointer jumping ends.
    original = np.where(best >= 0, best, np.arange(linked))
    while not np.array_equal(jumped := original[original], original):
        original = jumped
    copies = np.flatnonzero(best >= 0)
    for start in range(0, len(copies), 100_000):
        part = copies[start : start + 100_000]
        store.query(
            f"INSERT INTO {_MARKS} SELECT r.id, o.id, m.sim FROM (SELECT "
            "unnest(?::BIGINT[]) AS rank, unnest(?::BIGINT[]) AS original, "
            f"unnest(?::DOUBLE[]) AS sim) m JOIN {_RANKS} r ON r.rank = m.rank "
            f"JOIN {_RANKS} o ON o.rank = m.original",
            [part.tolist(), original[part].tolist(), best_sim[part].tolist()],
        )
    return len(copies)


class _Signatures:
    """Signatures by row number, in 32 bits a value where that is exact.

    MinHash values lie below a prime just above 2**32, so nearly all fit 32 bits: those
    rows are kept as uint32 (half the memory). The rare rows with a larger value (an
    empty text's signature is all maxima) are also kept whole, and every comparison that
    involves one of them is made on the whole values.
    """

    def __init__(self, rows: int, num_perm: int) -> None:
        self.num_perm = num_perm
        self.low = np.empty((rows, num_perm), dtype=np.uint32)
        self.wide = np.zeros(rows, dtype=bool)
        self.whole: dict[int, np.ndarray] = {}

    def put(self, ranks: np.ndarray, values: np.ndarray) -> None:
        self.low[ranks] = values.astype(np.uint32)  # the low 32 bits
        over = (values >> np.uint64(32)).any(axis=1)
        self.wide[ranks[over]] = True
        for rank, row in zip(ranks[over].tolist(), values[over], strict=True):
            self.whole[rank] = row

    def _row(self, rank: int) -> np.ndarray:
        return self.whole[rank] if self.wide[rank] else self.low[rank].astype(np.uint64)

    def agree(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """How many signature positions agree, for each pair of rows ``a[i]``, ``b[i]``."""
        count = (self.low[a] == self.low[b]).sum(axis=1)
        for i in np.flatnonzero(self.wide[a] | self.wide[b]).tolist():
            count[i] = int((self._row(int(a[i])) == self._row(int(b[i]))).sum())
        return count


def _keep_best(
    signatures: _Signatures,
    pair: np.ndarray,
    threshold: float,
    best: np.ndarray,
    best_sim: np.ndarray,
) -> None:
    """Update ``best``/``best_sim`` of the later story of each pair (row numbers)."""
    later, earlier = pair.max(axis=1), pair.min(axis=1)
    # the very float similarity() gives (np.mean of the agreements)
    sim = signatures.agree(later, earlier) / signatures.num_perm
    keep = sim >= threshold
    later, earlier, sim = later[keep], earlier[keep], sim[keep]
    if not len(later):
        return
    # the best of this chunk for each story: highest similarity, then earliest
    order = np.lexsort((earlier, -sim, later))
    later, earlier, sim = later[order], earlier[order], sim[order]
    first = np.flatnonzero(np.r_[True, later[1:] != later[:-1]])
    later, earlier, sim = later[first], earlier[first], sim[first]
    known, known_sim = best[later], best_sim[later]
    better = (known < 0) | (sim > known_sim) | ((sim == known_sim) & (earlier < known))
    best[later[better]] = earlier[better]
    best_sim[later[better]] = sim[better]


def mark_near_duplicates(
    store: EventStore,
    *,
    threshold: float = 0.8,
    scheme: MinHashScheme | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> int:
    """Record in ``stories.duplicate_of`` the earlier story each story near-duplicates.

    New and changed stories are hashed (:func:`sync_signatures`, ``chunk_size`` stories
    at a time); then every story is assigned afresh, oldest first (date, undated last,
    then id): a story whose estimated Jaccard similarity to an earlier story reaches
    ``threshold`` points to the original of the most similar earlier story (the most
    similar story itself when that is an original), else it is an original itself. So
    the answer does not depend on the order stories were ingested in. Returns how many
    stories are near-duplicates. Needs a writable store; runs in one transaction.

    Memory: texts are read ``chunk_size`` at a time; the candidate pairs are found and
    kept by DuckDB (within its ``memory_limit``, spilling to disk beyond it) and stream
    through in chunks; what Python holds for the whole pass is the signatures of the
    stories that have a candidate, as one numpy matrix (``num_perm`` 32-bit integers a
    story: 512 bytes with the default scheme), and two numbers a story. Only rows whose
    mark changes are updated.
    """
    threshold = _check_threshold(threshold)
    chunk_size = _check_chunk_size(chunk_size)
    store._writable()
    hasher = MinHasher(scheme)
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        sync_signatures(store, hasher, chunk_size=chunk_size)
        marked = _assign(store, threshold, hasher.scheme.num_perm, chunk_size)
        store.query(
            "UPDATE stories SET duplicate_of = NULL, duplicate_similarity = NULL "
            f"WHERE duplicate_of IS NOT NULL AND id NOT IN (SELECT id FROM {_MARKS})"
        )
        store.query(
            "UPDATE stories SET duplicate_of = m.original, duplicate_similarity = m.sim "
            f"FROM {_MARKS} m WHERE stories.id = m.id AND ("
            "stories.duplicate_of IS DISTINCT FROM m.original "
            "OR stories.duplicate_similarity IS DISTINCT FROM m.sim)"
        )
        for table in (_PAIRS, _RANKS, _MARKS):
            store.query(f"DROP TABLE IF EXISTS {table}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return marked


def near_duplicates(store: EventStore) -> list[dict[str, object]]:
    """The stories marked as near-duplicates: ``{id, duplicate_of, similarity}``."""
    return [
        {"id": sid, "duplicate_of": original, "similarity": sim}
        for sid, original, sim in store.query(
            "SELECT id, duplicate_of, duplicate_similarity FROM stories "
            "WHERE duplicate_of IS NOT NULL ORDER BY date NULLS LAST, id"
        )
    ]
