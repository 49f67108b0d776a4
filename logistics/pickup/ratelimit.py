"""Wrong pickup codes are limited, so that nobody can try codes until one opens an order.

Counters (Redis through the Django cache, shared by every web process), each in a
fixed window of ``HALLE_PICKUP_CODE_WINDOW_MINUTES`` started by its first failure:

- **staff pages** (a collection point's, a shop counter's): per person and per
  network address, ``HALLE_PICKUP_CODE_MAX_FAILURES`` each;
- **a locker bank's keypad**: per network address (the same limit) *and* per bank,
  ``HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES``, so that guessing does not scale with
  the number of addresses an attacker has; the bank's staff get one e-mail when it
  locks (``logistics.pickup.services.alerts``).

The keypad's counters and the staff's are apart (``keypad:`` / ``staff:`` keys): a
shopper mistyping at the bank, or someone guessing there, never locks the point's
own handover page, even from the same network address.

Counting is a reservation, not a check followed by a count: each attempt first
takes one unit from every counter (one atomic ``INCR`` each) and is refused if any
went past its limit; an attempt that was no guess (the right code, a typo refused
before any lookup) gives its units back. So N attempts sent at the same moment test
at most the limit's number of codes, where "read the counter, look the code up,
then count" let all of them read a counter below the limit.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

PREFIX = "pickup:code-failures"


class TooManyAttempts(Exception):
    def __init__(self, minutes: int, *, bank: bool = False):
        self.minutes = minutes
        self.bank = bank
        wait = f"{minutes} minute{'s' if minutes > 1 else ''}"
        self.message = (
            f"Trop de codes erronés sur cette consigne : par sécurité, son clavier est bloqué pendant {wait}. "
            "L'équipe du point de retrait est prévenue."
            if bank
            else f"Trop de codes erronés : par sécurité, la saisie est bloquée pendant {wait}. "
            "Vérifiez le code avec le client, puis réessayez."
        )
        super().__init__(self.message)


@dataclass(frozen=True)
class Counter:
    key: str
    limit: int
    is_bank: bool = False


@dataclass
class Reservation:
    """The units one attempt took; ``values`` are the counters' values after taking them."""

    counters: list[Counter]
    values: list[int] = field(default_factory=list)
    released: bool = False

    def release(self) -> None:
        """Give the units back: the attempt was no guess (right code, impossible code)."""
        if self.released:
            return
        self.released = True
        for counter in self.counters:
            try:
                value = cache.decr(counter.key)
            except ValueError:  # the window ended meanwhile: nothing left to give back
                continue
            if value <= 0:
                # Nothing counted any more (or Redis recreated an expired key at -1, without
                # a time to live): no window to keep.
                cache.delete(counter.key)

    def bank_locked_now(self) -> Counter | None:
        """The bank counter this failed attempt brought to its limit (the lock-out starts now)."""
        for counter, value in zip(self.counters, self.values):
            if counter.is_bank and value == counter.limit:
                return counter
        return None


def _window_seconds() -> int:
    return int(settings.HALLE_PICKUP_CODE_WINDOW_MINUTES) * 60


def _window_minutes() -> int:
    return max(1, int(settings.HALLE_PICKUP_CODE_WINDOW_MINUTES))


def staff_counters(*, user=None, ip: str | None = None) -> list[Counter]:
    """The counters of a handover page (point staff, shop counter): per person and per address."""
    limit = int(settings.HALLE_PICKUP_CODE_MAX_FAILURES)
    counters = []
    if user is not None and getattr(user, "is_authenticated", False):
        counters.append(Counter(f"{PREFIX}:staff:user:{user.pk}", limit))
    if ip:
        counters.append(Counter(f"{PREFIX}:staff:ip:{ip}", limit))
    return counters


def keypad_counters(*, point_id: int, ip: str | None = None) -> list[Counter]:
    """The counters of a locker bank's keypad: per address, and per bank whatever the address."""
    counters = [Counter(bank_key(point_id=point_id), int(settings.HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES), is_bank=True)]
    if ip:
        counters.append(Counter(f"{PREFIX}:keypad:ip:{ip}", int(settings.HALLE_PICKUP_CODE_MAX_FAILURES)))
    return counters


def bank_key(*, point_id: int) -> str:
    return f"{PREFIX}:keypad:bank:{point_id}"


def window_started_at(*, counter: Counter) -> int:
    """When ``counter``'s current window began (Unix milliseconds): names one lock-out."""
    return int(cache.get(f"{counter.key}:since") or 0)


def _take(counter: Counter) -> int:
    timeout = _window_seconds()
    if cache.add(counter.key, 0, timeout=timeout):  # this failure opens a window
        cache.set(f"{counter.key}:since", time.time_ns() // 1_000_000, timeout=timeout)
    for _ in range(3):
        try:
            value = cache.incr(counter.key)
        except ValueError:  # the window ended between add and incr: open the next one
            cache.add(counter.key, 0, timeout=timeout)
            continue
        if value == 1:
            # Redis INCR on a key that expired after Django's existence check creates it
            # without a time to live: give it the window's, or it would count for ever.
            cache.touch(counter.key, timeout)
        return value
    raise RuntimeError(f"rate-limit counter {counter.key} keeps expiring")


def attempt_reserve(*, counters: list[Counter]) -> Reservation:
    """Take one unit from each counter for an attempt about to be made; ``TooManyAttempts``
    (and every unit given back) when one of them is past its limit."""
    reservation = Reservation(counters=list(counters))
    for counter in reservation.counters:
        reservation.values.append(_take(counter))
    over = [c for c, v in zip(reservation.counters, reservation.values) if v > c.limit]
    if over:
        reservation.release()
        raise TooManyAttempts(_window_minutes(), bank=any(c.is_bank for c in over))
    return reservation


def counters_reset(*, counters: list[Counter]) -> None:
    """Forget ``counters`` (the manager lifting a lock-out; tests)."""
    cache.delete_many([key for c in counters for key in (c.key, f"{c.key}:since")])


def client_ip(request) -> str:
    """The address the request came from (the proxy in front must set REMOTE_ADDR to the client's)."""
    return (request.META.get("REMOTE_ADDR") or "").strip()[:45]
