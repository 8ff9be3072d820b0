"""Charset, script and text damages for generate.py, modelled on how real scrapes break.

Decoders a crawler really uses on bytes of the wrong charset (WHATWG windows-1252, Latin-1,
GBK with replace / ignore, GB18030, an old lenient GBK decoder of PHP/C scrapers), a span of
a paragraph in another charset, traditional script of Hong Kong and Taiwan with their own
variants, corner quotes, full-width digits and letters, invisible characters, no-break
spaces, pinyin annotations, and the glyph damage of text copied out of a PDF edition
(Kangxi and supplementary radicals, private-use code points, look-alike characters).
Written from damage.md and from how real scrapes break; nothing here is taken from the
pipeline. Functions that draw take a random.Random; a library of generate.py, prints nothing.
"""
import codecs
import re
import unicodedata

# ---------------------------------------------------------------- decoders

def _c1_passthrough(err):
    # WHATWG windows-1252: the 5 undefined bytes map to the C1 controls U+0081...
    b = err.object[err.start]
    return chr(b), err.start + 1


codecs.register_error("gen3_c1", _c1_passthrough)


def decode_cp1252_whatwg(b: bytes) -> str:
    return b.decode("cp1252", errors="gen3_c1")


def decode_gbk_lenient(b: bytes) -> str:
    """An old-style lenient GBK decoder (as in some PHP/C scrapers): a lead byte followed
    by a byte below 0x40 gives '?' and swallows it; unassigned pairs vanish; stray 0x80 /
    0xFF give '?'; it resynchronizes on any ASCII byte in lead position."""
    out = []
    i, n = 0, len(b)
    while i < n:
        c = b[i]
        if c < 0x80:
            out.append(chr(c))
            i += 1
            continue
        if c in (0x80, 0xFF) or i + 1 >= n:
            out.append("?")
            i += 1
            continue
        t = b[i + 1]
        if t < 0x40:
            out.append("?")
            i += 2
            continue
        try:
            out.append(bytes([c, t]).decode("gbk"))
        except UnicodeDecodeError:
            pass
        i += 2
    return "".join(out)


def wrong_gbk(b: bytes, rng) -> (str, str):
    how = rng.choice(["gbk-replace", "gb18030-replace", "gbk-lenient", "gbk-ignore"])
    if how == "gbk-replace":
        return b.decode("gbk", "replace"), how
    if how == "gb18030-replace":
        return b.decode("gb18030", "replace"), how
    if how == "gbk-ignore":
        return b.decode("gbk", "ignore"), how
    return decode_gbk_lenient(b), how


def wrong_latin(b: bytes, rng) -> (str, str):
    if rng.random() < 0.5:
        return b.decode("latin-1"), "latin-1"          # requests' default for text/html
    return decode_cp1252_whatwg(b), "cp1252"           # browsers, MySQL latin1 columns


# ---------------------------------------------------------------- span-level mojibake

SENT_RE = re.compile(r"[^。！？；]*[。！？；”]+")


def pick_span(p: str, rng) -> (int, int):
    r = rng.random()
    if r < 0.4 or len(p) < 12:
        return 0, len(p)
    if r < 0.7:
        sents = [(m.start(), m.end()) for m in SENT_RE.finditer(p) if m.end() - m.start() > 3]
        if sents:
            return rng.choice(sents)
    a = rng.randrange(0, max(1, len(p) - 6))
    return a, min(len(p), a + rng.randint(4, 40))


# ---------------------------------------------------------------- script

HK_EXTRA = {"衛": "衞", "線": "綫", "裡": "裏", "著": "着", "峰": "峯", "群": "羣", "啟": "啓",
            "為": "爲", "眾": "衆", "溫": "温", "戶": "户", "晚": "晩", "告": "吿", "吳": "吴",
            "裏": "裏", "污": "污", "麵": "麪", "淨": "凈", "眾": "衆"}
TW_EXTRA = {"臺": "台", "裏": "裡", "着": "著", "峯": "峰", "羣": "群", "啓": "啟", "爲": "為",
            "衆": "眾", "污": "汙", "説": "說", "税": "稅", "脱": "脫", "閲": "閱", "鋭": "銳",
            "悦": "悅", "户": "戶", "吿": "告"}

_CC = {}


def opencc(conf):
    import opencc as _o
    if conf not in _CC:
        _CC[conf] = _o.OpenCC(conf)
    return _CC[conf]


def to_traditional(s: str, region: str, rng) -> str:
    t = opencc("s2hk" if region == "hk" else "s2tw").convert(s)
    extra = HK_EXTRA if region == "hk" else TW_EXTRA
    # a site's fonts and input methods pick regional variants for some characters,
    # not all: choose per page which of the variants this site uses
    keys = [k for k in extra if rng.random() < 0.6]
    if keys:
        t = re.sub("|".join(map(re.escape, keys)), lambda m: extra[m.group(0)], t)
    return t


CORNER = {"“": "「", "”": "」", "‘": "『", "’": "』"}


def corner_quotes(s: str) -> str:
    return re.sub("[“”‘’]", lambda m: CORNER[m.group(0)], s)


# ---------------------------------------------------------------- widths and invisibles

def fullwidth(s: str, letters: bool) -> str:
    out = []
    for ch in s:
        if "0" <= ch <= "9" or (letters and (ch.isascii() and ch.isalpha() or ch in "%.")):
            out.append(chr(ord(ch) + 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


ZW = ["\u200b", "\u200b", "\u200b", "\ufeff", "\u200c", "\u200d", "\u2060", "\u00ad"]


def sprinkle_invisibles(p: str, rate: float, rng, pool=ZW) -> str:
    out = []
    for ch in p:
        out.append(ch)
        if rng.random() < rate:
            out.append(rng.choice(pool))
    return "".join(out)


def nbsp_damage(p: str, rng) -> str:
    r = rng.random()
    if r < 0.5:
        p = "\xa0" * rng.choice([2, 4, 6]) + p             # indentation typed as nbsp
    if rng.random() < 0.3:                                  # nbsp between words / after datelines
        i = rng.randrange(len(p))
        p = p[:i] + "\xa0" + p[i:]
    if rng.random() < 0.2:
        p = p + "\xa0"
    if rng.random() < 0.15:
        p = p.replace("，", "，\u3000", 1)
    return p


# ---------------------------------------------------------------- pinyin

def pinyin_of(ch: str, numeric=False) -> str:
    from pypinyin import pinyin, Style
    st = Style.TONE3 if numeric else Style.TONE
    return pinyin(ch, style=st)[0][0]


def choose_pinyin_chars(text: str, rng, k=(8, 25)) -> list:
    from collections import Counter
    c = Counter(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    common = [ch for ch, _ in c.most_common(200)]
    n = min(len(common), rng.randint(*k))
    return rng.sample(common, n)


def pinyin_text(p: str, chars: set, style: str) -> str:
    """style: 'paren' 字(zì), 'fwparen' 字（zì）, 'num' 字(zi4), 'ruby' <ruby>...</ruby>"""
    out = []
    for ch in p:
        out.append(ch)
        if ch in chars:
            py = pinyin_of(ch, numeric=(style == "num"))
            if style == "fwparen":
                out.append("（%s）" % py)
            elif style == "ruby":
                out[-1] = "\x02ruby\x03%s\x02rt\x03%s\x02/rt\x03\x02/ruby\x03" % (ch, py)
            else:
                out.append("(%s)" % py)
    return "".join(out)


def pinyin_gbk_bytes(b: bytes, chars: list) -> bytes:
    """Annotation by byte replacement on GBK bytes: keys can match across two characters."""
    for ch in chars:
        try:
            key = ch.encode("gbk")
        except UnicodeEncodeError:
            continue
        # the pinyin letters with tone marks exist in GBK (row A8), so they go in as GBK
        b = b.replace(key, key + ("(%s)" % pinyin_of(ch)).encode("gbk", "ignore"))
    return b


def fold_fullwidth_ascii(s: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in s)


# ---------------------------------------------------------------- PDF glyphs

KANGXI = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0x2F00, 0x2FD6)}
RADICAL_SUPP = {"门": "⻔", "长": "⻓", "风": "⻛", "见": "⻅", "车": "⻋", "马": "⻢", "页": "⻚",
                "飞": "⻜", "黄": "⻩", "齐": "⻬", "龙": "⻰", "贝": "⻉", "鸟": "⻦", "鱼": "⻥",
                "麦": "⻨", "齿": "⻮", "龟": "⻳", "骨": "⻣", "鬼": "⻤", "民": "⺠", "西": "⻄",
                "角": "⻆", "青": "⻘", "食": "⻝"}
COMPAT = {}
for _c in range(0xF900, 0xFADA):
    _n = unicodedata.normalize("NFC", chr(_c))
    if _n != chr(_c) and _n not in COMPAT:
        COMPAT[_n] = chr(_c)
LOOKALIKE = [("己", "已"), ("未", "末"), ("人", "入"), ("土", "士"), ("日", "曰"), ("千", "干"),
             ("大", "太"), ("折", "拆"), ("侯", "候"), ("官", "宫"), ("析", "折"), ("余", "佘"),
             ("免", "兔"), ("戊", "戌"), ("刺", "剌"), ("汩", "汨")]


def pdf_glyphs(s: str, rng, mechs: list) -> str:
    if rng.random() < 0.5:
        s = s.replace("——", rng.choice(["--", "一一", "——"]))
        s = s.replace("—", "一")
        mechs.append("pdf_dash_as_yi")
    if rng.random() < 0.6:
        s = re.sub("[“”]", '"', s)
        s = re.sub("[‘’]", "'", s)
        mechs.append("pdf_ascii_quotes")
    if rng.random() < 0.6:
        s = s.translate(str.maketrans("，；：？！（）", ",;:?!()"))
        mechs.append("pdf_halfwidth_punct")
    if rng.random() < 0.3:
        s = s.replace("…", rng.choice(["...", "..."]))
        s = s.replace("·", rng.choice(["•", ".", "·"]))
        mechs.append("pdf_ellipsis_dot")
    if rng.random() < 0.3:
        present = sorted(set(s) & (set(KANGXI) | set(RADICAL_SUPP)))
        pick = [c for c in present if rng.random() < 0.35]
        if pick:
            table = {c: RADICAL_SUPP.get(c) or KANGXI[c] for c in pick}
            s = "".join(table.get(c, c) for c in s)
            mechs.append("pdf_radicals")
    if rng.random() < 0.08:
        present = sorted(set(s) & set(COMPAT))
        pick = [c for c in present if rng.random() < 0.5]
        if pick:
            s = "".join(COMPAT[c] if c in pick else c for c in s)
            mechs.append("pdf_compat_ideographs")
    if rng.random() < 0.12:
        pairs = [(a, b) for a, b in LOOKALIKE if a in s]
        if pairs:
            a, b = rng.choice(pairs)
            s = s.replace(a, b)
            mechs.append("pdf_glyph_confusion")
    if rng.random() < 0.05:
        from collections import Counter
        c = [ch for ch, _ in Counter(ch for ch in s if "\u4e00" <= ch <= "\u9fff").most_common(60)]
        if c:
            pua = {ch: chr(0xE000 + rng.randrange(0x500)) for ch in rng.sample(c, min(2, len(c)))}
            s = "".join(pua.get(ch, ch) for ch in s)
            mechs.append("pdf_pua")
    if rng.random() < 0.3:
        s = s.replace("〇", "○")
    return s
