"""The mail server from the environment: DJANGO_EMAIL_URL in one variable, as DATABASE_URL names
the database, or else the usual EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
EMAIL_USE_TLS, EMAIL_USE_SSL.

    smtp://user:password@smtp.tinhdoan.vn:587?tls=1   STARTTLS (the default on port 587)
    smtps://user:password@smtp.tinhdoan.vn:465        TLS from the first byte (or smtp://…?ssl=1)
    console://                                        mails written to the terminal (``make run``)

A user or password holding ":", "@" or "/" is percent-encoded (doanhub%40tinhdoan.vn). The
dj-email-url package does this but has had no release since 2022; these lines are all it took.
DJANGO_EMAIL_BACKEND, when set, names the backend whatever else is set (a file or locmem one)."""

from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SCHEMES = {"smtp": SMTP, "smtps": SMTP, "console": CONSOLE}
TRUE = ("1", "true", "yes", "on")


class Mail(NamedTuple):
    backend: str
    host: str
    port: int
    user: str
    password: str
    use_tls: bool
    use_ssl: bool
    timeout: int  # seconds before an SMTP server that does not answer is given up


def parse(url: str, *, timeout: int = 30) -> Mail:
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError(f"DJANGO_EMAIL_URL: “{parts.scheme}://” is not smtp://, smtps:// or console://")
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    ssl = parts.scheme == "smtps" or query.get("ssl") in TRUE
    port = parts.port or (465 if ssl else 587)
    tls = not ssl and query.get("tls", "1" if port == 587 else "0") in TRUE
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    return Mail(SCHEMES[parts.scheme], parts.hostname or "", port, user, password, tls, ssl, _seconds(query, timeout))


def _seconds(query: dict, default: int) -> int:
    raw = query.get("timeout", "")
    return int(raw) if raw.isdigit() else default


def from_env(env) -> Mail:
    """DJANGO_EMAIL_URL if set, else the EMAIL_* variables (no EMAIL_HOST: the console)."""
    timeout = int(env.get("EMAIL_TIMEOUT", "30"))
    if env.get("DJANGO_EMAIL_URL"):
        mail = parse(env["DJANGO_EMAIL_URL"], timeout=timeout)
    else:
        host, port = env.get("EMAIL_HOST", ""), int(env.get("EMAIL_PORT", "587"))
        mail = Mail(
            SMTP if host else CONSOLE,
            host,
            port,
            env.get("EMAIL_HOST_USER", ""),
            env.get("EMAIL_HOST_PASSWORD", ""),
            env.get("EMAIL_USE_TLS", str(int(port == 587))).lower() in TRUE,
            env.get("EMAIL_USE_SSL", str(int(port == 465))).lower() in TRUE,
            timeout,
        )
    return mail._replace(backend=env.get("DJANGO_EMAIL_BACKEND") or mail.backend)
