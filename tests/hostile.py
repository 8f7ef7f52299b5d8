"""Generated bad input for the hostile-input tests: made in tmp_path at run time, never committed."""
from __future__ import annotations

import io
import zlib

MINUTES = ("Little Ashby Parish Council. Minutes of the meeting held on 4 March 2024. "
           "The council agreed to buy a new bench for the green beside the pond, at a cost of £450.")


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of these numbered objects (1 0 R is the catalogue), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def one_page_pdf(content: bytes, stream_keys: bytes = b"") -> bytes:
    """One page whose content stream is `content`, its dictionary holding `stream_keys` (a /Filter)."""
    stream = b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(content), stream_keys, content)
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>",
                stream, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def text_pdf(text: str) -> bytes:
    return one_page_pdf(b"BT /F1 10 Tf 20 700 Td (%s) Tj ET" % text.encode("latin-1"))


def flate_bomb_pdf() -> bytes:
    """78 KB that inflate to 80 MB: past pypdf's 75 MB limit, so it raises LimitReachedError."""
    return one_page_pdf(zlib.compress(b" " * 80_000_000, 9), b"/Filter /FlateDecode")


def unknown_filter_pdf() -> bytes:
    """A stream filter pypdf has never heard of: NotImplementedError."""
    return one_page_pdf(b"xxxx", b"/Filter /FooDecode")


def encrypted_pdf(text: str) -> bytes:
    """`text_pdf(text)` behind a user password: no empty password opens it."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf(text))))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def many_pages_pdf(pages: int) -> bytes:
    """A page tree listing one page `pages` times: a few hundred KB that claim a 150,000-page record."""
    kids = b" ".join([b"3 0 R"] * pages)
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>",
                b"<< /Length 38 >>\nstream\nBT /F1 10 Tf 20 700 Td (Page) Tj ET\nendstream",
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def cyclic_pages_pdf() -> bytes:
    """A page tree that is its own child."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])
