"""Byte-level charset mechanisms, implemented by encoding and decoding bytes.

Every function here works on bytes the way a server, a CMS or a crawler would;
nothing is simulated at the character level.
"""
import codecs


def lenient_gbk_decode(b: bytes) -> str:
    """The crawler's lenient GBK decoder (damage.md, sample 000, step 3).

    - a byte below 0x80 in lead position is itself (ASCII): the stream resyncs there;
    - a lead byte followed by a byte below 0x40 (or 0x7F/0xFF, no valid trail)
      gives one '?' and swallows that byte;
    - an unassigned pair is dropped silently;
    - an assigned pair decodes to its character (Python's GBK table);
    - a lone lead at the end (or 0x80/0xFF in lead position) gives '?'.
    """
    out = []
    i, n = 0, len(b)
    while i < n:
        x = b[i]
        if x < 0x80:
            out.append(chr(x)); i += 1; continue
        if x in (0x80, 0xFF) or i + 1 >= n:
            out.append('?'); i += 1; continue
        y = b[i + 1]
        if y < 0x40 or y in (0x7F, 0xFF):
            out.append('?'); i += 2; continue
        try:
            out.append(bytes((x, y)).decode('gbk'))
        except UnicodeDecodeError:
            pass
        i += 2
    return ''.join(out)


def decode_cp1252_whatwg(b: bytes) -> str:
    """windows-1252 as browsers and most HTTP stacks apply it: the 5 undefined
    bytes map to the C1 control of the same value (as Latin-1 does)."""
    return ''.join(bytes((x,)).decode('cp1252', errors='strict') if x not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
                   else chr(x) for x in b)


def width_fold(s: str) -> str:
    """Every character in U+FF01..U+FF5E becomes its ASCII counterpart."""
    return ''.join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in s)


class ErrorRecorder:
    """errors='replace' that also records the byte ranges that were replaced."""

    def __init__(self):
        self.ranges = []
        self.name = 'gen4_record_%x' % id(self)
        codecs.register_error(self.name, self._handler)

    def _handler(self, exc):
        self.ranges.append((exc.start, exc.end))
        return ('\ufffd', exc.end)


def decode_replace_recording(b: bytes, enc: str):
    rec = ErrorRecorder()
    s = b.decode(enc, errors=rec.name)
    return s, rec.ranges
