"""The hidden cases' seed is the instructor's secret; students see only a fingerprint of it.

gdgrade is an ordinary package, so whoever knows the seed (and, for per-student cases,
the student id, which is no secret: it is the file name) regenerates every hidden case
and its expected value. No student-facing output carries the seed. The reproduction
receipt carries a *case-set fingerprint* instead: stable (the same seed and student give
the same fingerprint, so the instructor's regrade shows it used the same cases) and not
invertible:

    key         = PBKDF2-HMAC-SHA256(seed, salt=DOMAIN, KDF_ITERATIONS)   (once per seed)
    fingerprint = HMAC-SHA256(key, DOMAIN + student id)[:8], as 16 hex digits

The only way back from a fingerprint to a seed is to guess seeds, each guess costing
KDF_ITERATIONS hashes. A seed gdgrade makes is SEED_BITS random bits from `secrets`:
2^63 guesses of 2^17.6 hashes each, about 2^80 hashes, is out of reach. A seed chosen by
hand (42, 2024, a date) is only as strong as it is hard to guess; `weak` flags those.
Seeds stay below 2^63 because the gradebook stores them as SQLite integers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading

SEED_BITS = 63
SEED_LIMIT = 1 << SEED_BITS  # seeds are 0 <= seed < SEED_LIMIT
WEAK_BELOW = 1 << 40  # fewer than 40 bits: a guessable seed (a date, a small number)
KDF_ITERATIONS = 200_000
DOMAIN = b"gdgrade case-set fingerprint v1\x00"
SEED_WARNING = (
    "this seed is small enough to guess, and a student who guesses it regenerates every "
    "hidden case; leave the seed out and gdgrade makes a random one"
)


def new_seed() -> int:
    """A fresh random seed of SEED_BITS bits (never weak in practice: 2^-23 chance)."""
    while True:
        seed = secrets.randbits(SEED_BITS)
        if seed >= WEAK_BELOW:
            return seed


def weak(seed: int) -> bool:
    """Small enough that a student could find it by trying seeds against a fingerprint."""
    return seed < WEAK_BELOW


_keys: dict[int, bytes] = {}
_keys_lock = threading.Lock()


def _key(seed: int) -> bytes:
    """Derived once per seed and process (~50 ms); a caller arriving while another thread
    derives it waits for that one instead of deriving it again."""
    with _keys_lock:
        key = _keys.get(seed)
        if key is None:
            key = hashlib.pbkdf2_hmac("sha256", str(seed).encode(), DOMAIN, KDF_ITERATIONS)
            if len(_keys) >= 8:
                _keys.clear()
            _keys[seed] = key
        return key


def derive_key_early(seed: int | None) -> None:
    """Start deriving the seed's key in a thread, while this process waits for other
    things (the sandbox's start, the student's code): the receipt's fingerprint, asked
    for when the report is made, then finds it ready."""
    if seed is not None:
        threading.Thread(target=_key, args=(seed,), daemon=True).start()


def fingerprint(seed: int, student_id: str | None = None) -> str:
    """The case set's fingerprint: 16 hex digits in groups of four, e.g. 3f9a-c2d1-7be0-41aa."""
    message = DOMAIN + (student_id or "").encode("utf-8")
    digest = hmac.new(_key(seed), message, hashlib.sha256).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))
