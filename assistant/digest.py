"""Watches' e-mail digest: one plain-text message per check that found something, through the SMTP server in
the settings (CLERK_SMTP_*). Plain text only: record text is never HTML here either. Standard library only.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .answers import Citation
from .cli import clean
from .present import describe_filters
from .settings import Settings
from .watches import Found, feed_path

QUOTE_CHARS = 400


def configured(settings: Settings) -> bool:
    return bool(settings.smtp_host and settings.smtp_to)


def message(settings: Settings, found: list[Found]) -> EmailMessage | None:
    """The digest of what the watches found, or None when they found nothing."""
    news = [f for f in found if f.new]
    if not news:
        return None
    total = sum(len(f.new) for f in news)
    lines = []
    for f in news:
        filters = describe_filters(f.watch.filters)
        lines += [f"{f.watch.name}: “{f.watch.query}”" + (f" ({filters})" if filters else ""),
                  f"{len(f.new)} new {'passage' if len(f.new) == 1 else 'passages'}, best first:", ""]
        for match in f.new:
            citation = Citation(**{k: match.get(k) for k in Citation.__dataclass_fields__})
            quote = citation.supporting or citation.text
            lines += [f"[{match['n']}] {citation.label()}",
                      "    “" + (quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS] + "…") + "”"]
            if match.get("effect"):
                lines.append(f"    Effect: {match['effect']}" + (f" ({match['votes']})" if match.get("votes") else ""))
            lines.append("")
        lines += [f"Feed: {feed_path(settings.store, f.watch.name).resolve()}", "", ""]
    mail = EmailMessage()
    mail["Subject"] = f"Clerk: {total} new {'passage' if total == 1 else 'passages'} for " \
                      + ", ".join(f.watch.name for f in news)
    mail["From"] = settings.smtp_from
    mail["To"] = ", ".join(a.strip() for a in settings.smtp_to.split(",") if a.strip())
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain="clerk.localhost")
    # Control characters from a record written as escapes, as the CLI prints them.
    mail.set_content(clean("\n".join(lines).rstrip() + "\n\nSent by Clerk's watches (clerk watch list).\n"))
    return mail


def send(settings: Settings, mail: EmailMessage) -> None:
    """Hand `mail` to the SMTP server; a ValueError of one line when it cannot be."""
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        if settings.smtp_port == 465:  # SMTPS: TLS from the first byte
            server = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=30)
        else:
            server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
        with server:
            if settings.smtp_user:
                if settings.smtp_port != 465:
                    server.starttls()  # a password never crosses the network in the clear
                server.login(settings.smtp_user, settings.smtp_password or "")
            server.send_message(mail)
    except (smtplib.SMTPException, OSError) as exc:
        raise ValueError(f"the e-mail digest was not sent through {where}: {exc}") from None


def notify(settings: Settings, found: list[Found]) -> str | None:
    """Send the digest when e-mail is configured and a watch found something; what was sent, in a line."""
    if not configured(settings):
        return None
    mail = message(settings, found)
    if mail is None:
        return None
    send(settings, mail)
    return f"e-mailed the digest to {mail['To']}"
