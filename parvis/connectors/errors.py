"""The one error hierarchy of connectors. Only a connector looks at HTTP status codes;
everything above it (publishing, inbox, metrics) reasons with these classes.

    ConnectorError(permanent, retry_after)
     ├── AuthExpired     token revoked or expired: reconnect (or refresh) first  [permanent]
     ├── RateLimited     the network said "slow down"; retry after `retry_after` s  [transient]
     ├── Rejected        the network refused the content or the request         [permanent]
     ├── Unavailable     5xx, network failure, timeout                           [transient]
     │                   `maybe_sent`: the request may have reached the network (a read
     │                   timeout after sending): the outcome is unknown, do not retry blindly
     └── Unsupported     this network or connector cannot do that                [permanent]
"""


class ConnectorError(Exception):
    permanent = True
    # Parts of a thread (PublishedPart) already on the network when this error struck.
    published_parts: tuple = ()

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        network_code: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        self.status = status
        self.network_code = network_code

    @property
    def summary(self) -> str:
        """The kind of error and its message, as logs and error snapshots keep it."""
        return f"{type(self).__name__}: {self.message}"


class AuthExpired(ConnectorError):
    permanent = True


class RateLimited(ConnectorError):
    permanent = False


class Rejected(ConnectorError):
    permanent = True


class Unavailable(ConnectorError):
    permanent = False

    def __init__(self, message: str, *, maybe_sent: bool = False, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.maybe_sent = maybe_sent


class Unsupported(ConnectorError):
    permanent = True
