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
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from detente.errors import ConfigError
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


def sync_signatures(store: EventStore, hasher: MinHasher | None = None) -> int:
    """Hash the stories that have no signature for this scheme (or a stale one).

    Returns how many stories were hashed. Signatures of stories that are gone, or whose
    content changed, are dropped.
    """
    hasher = hasher or MinHasher()
    name = hasher.scheme.name
    store.query(
        "DELETE FROM story_bands WHERE story_id IN ("
        " SELECT g.story_id FROM story_signatures g LEFT JOIN stories s ON s.id = g.story_id"
        " WHERE s.id IS NULL OR s.content_hash <> g.content_hash OR g.scheme <> ?)",
        [name],
    )
    store.query(
        "DELETE FROM story_signatures WHERE story_id IN ("
        " SELECT g.story_id FROM story_signatures g LEFT JOIN stories s ON s.id = g.story_id"
        " WHERE s.id IS NULL OR s.content_hash <> g.content_hash OR g.scheme <> ?)",
        [name],
    )
    todo = store.query(
        "SELECT s.id, s.content_hash, s.text FROM stories s "
        "LEFT JOIN story_signatures g ON g.story_id = s.id WHERE g.story_id IS NULL "
        "ORDER BY s.id"
    )
    if not todo:
        return 0
    sig_ids, sig_hashes, sigs = [], [], []
    band_ids, band_nos, band_hashes = [], [], []
    for story_id, digest, text in todo:
        signature = hasher.signature(text)
        sig_ids.append(story_id)
        sig_hashes.append(digest)
        sigs.append([int(v) for v in signature])
        for band, value in enumerate(hasher.bands(signature)):
            band_ids.append(story_id)
            band_nos.append(band)
            band_hashes.append(value)
    store.query(
        "INSERT INTO story_signatures (story_id, content_hash, scheme, signature) "
        "SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?, unnest(?::UBIGINT[][])",
        [sig_ids, sig_hashes, name, sigs],
    )
    store.query(
        "INSERT INTO story_bands (story_id, band, hash) "
        "SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]), unnest(?::BIGINT[])",
        [band_ids, band_nos, band_hashes],
    )
    return len(todo)


def _candidate_pairs(store: EventStore) -> Iterable[tuple[str, str]]:
    return store.query(
        "SELECT DISTINCT a.story_id, b.story_id FROM story_bands a "
        "JOIN story_bands b ON a.band = b.band AND a.hash = b.hash AND a.story_id < b.story_id"
    )


def mark_near_duplicates(
    store: EventStore,
    *,
    threshold: float = 0.8,
    scheme: MinHashScheme | None = None,
) -> int:
    """Record in ``stories.duplicate_of`` the earlier story each story near-duplicates.

    New and changed stories are hashed (:func:`sync_signatures`); then every story is
    assigned afresh, oldest first (date, undated last, then id): a story whose
    estimated Jaccard similarity to an earlier story reaches ``threshold`` points
    to the original of the most similar earlier story (the most similar story itself
    when that is an original), else it is an original itself. So the answer
    does not depend on the order stories were ingested in. Returns how many stories
    are near-duplicates. Needs a writable store; runs in one transaction.
    """
    threshold = _check_threshold(threshold)
    store._writable()
    hasher = MinHasher(scheme)
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        sync_signatures(store, hasher)
        pairs = list(_candidate_pairs(store))
        neighbours: dict[str, set[str]] = {}
        for a, b in pairs:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
        assignment: dict[str, tuple[str, float]] = {}
        if neighbours:
            rows = store.query(
                "SELECT s.id, g.signature FROM stories s JOIN story_signatures g "
                "ON g.story_id = s.id WHERE s.id = ANY(?) ORDER BY s.date NULLS LAST, s.id",
                [list(neighbours)],
            )
            signatures = {sid: np.asarray(sig, dtype=np.uint64) for sid, sig in rows}
            rank = {sid: i for i, (sid, _) in enumerate(rows)}
            for sid, _ in rows:
                best: tuple[str, float] | None = None
                for other in neighbours[sid]:
                    if rank[other] > rank[sid]:
                        continue
                    sim = similarity(signatures[sid], signatures[other])
                    if sim >= threshold and (
                        best is None
                        or sim > best[1]
                        or (sim == best[1] and rank[other] < rank[best[0]])
                    ):
                        best = (other, sim)
                if best is not None:
                    # point at an original: the copy of a copy names the first story
                    original = assignment[best[0]][0] if best[0] in assignment else best[0]
                    assignment[sid] = (original, best[1])
        store.query(
            "UPDATE stories SET duplicate_of = NULL, duplicate_similarity = NULL "
            "WHERE duplicate_of IS NOT NULL"
        )
        if assignment:
            ids = list(assignment)
            store.query(
                "UPDATE stories SET duplicate_of = m.original, duplicate_similarity = m.sim "
                "FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS original, "
                "unnest(?::DOUBLE[]) AS sim) m WHERE stories.id = m.id",
                [ids, [assignment[i][0] for i in ids], [assignment[i][1] for i in ids]],
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(assignment)


def near_duplicates(store: EventStore) -> list[dict[str, object]]:
    """The stories marked as near-duplicates: ``{id, duplicate_of, similarity}``."""
    return [
        {"id": sid, "duplicate_of": original, "similarity": sim}
        for sid, original, sim in store.query(
            "SELECT id, duplicate_of, duplicate_similarity FROM stories "
            "WHERE duplicate_of IS NOT NULL ORDER BY date NULLS LAST, id"
        )
    ]
