"""PTB's AIORateLimiter, with one more choice for the caller: no retry on a 429.

Replies to an update keep the limiter's retries (the member is waiting; the frame's deadline
bounds them). The outbox dispatcher must not sleep out ``retry_after`` inside a send: its claim
on the row (the lease) could expire meanwhile and another instance send the row again. It asks
for ``rate_limit_args=NO_RETRY``: the same throttling, one attempt, and the ``RetryAfter``
raised at once, which the dispatcher handles by rescheduling the row.
"""

from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

NO_RETRY = "no-retry"


class _Raised(Exception):
    """Carries a RetryAfter past AIORateLimiter's retry loop (which catches RetryAfter only)."""

    def __init__(self, limit: RetryAfter):
        super().__init__()
        self.limit = limit


class RateLimiter(AIORateLimiter):
    async def process_request(self, callback, args, kwargs, endpoint, data,  # type: ignore[no-untyped-def, override]
                              rate_limit_args) -> Any:
        if rate_limit_args != NO_RETRY:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)

        async def once(*call_args: Any, **call_kwargs: Any) -> Any:
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter as limit:
                raise _Raised(limit) from None

        try:
            return await super().process_request(once, args, kwargs, endpoint, data, None)
        except _Raised as raised:
            raise raised.limit from None
