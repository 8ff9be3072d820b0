"""Damage clean news the way scraped Chinese news is damaged, every mechanism at once.

For tests and benchmarks of the normalization chain. `damage(text, seed)` takes a
clean article (title lines, then paragraphs, as in a news corpus) and returns it
carrying every mechanism of ../shared/notes/damage.md in one document, in the
order they strike a real page:

1. the writer: full-width digits and Latin letters; some paragraphs quoted from a
   Taiwan or Hong Kong source, in that region's traditional forms; a PDF's text
   extraction giving Chinese marks as ASCII and the dash as 一 (sample 004);
2. the bytes: GBK byte-level damage of the traditional paragraphs (pinyin
   annotations by byte replace, stray bytes after lead bytes, a lenient decode,
   a full-width fold: sample 000); a lost or stray byte in simplified GBK text
   that shifts every following pair up to the next ASCII byte; a span of UTF-8
   read as GBK or as windows-1252 inside a good line (GBK bytes read by Python's
   codec or, as browsers read them, by GB18030); a stray invalid byte;
3. the layout: a newspaper PDF in narrow columns, wrapped by a space, a line
   break or both, Latin-font numbers set apart by spaces, a sidebar set in a column
   of its own, the extractor's `> ` markers, a caption (sample 004);
4. the page: HTML entities (named, numeric, doubly escaped), comments, inline
   tags, `&nbsp;` indentation; site chrome above and below the article.

Each later step hides the earlier ones (an entity or a wrap inside a mojibake
sequence), which is the case a repair must survive. Rates are per document or per
1,000 characters (`RATES`); each is set near what the samples and real crawls
show, and high enough that a median-length article (1,000 characters) carries
about one instance of each mechanism. `canonical(text)` is the form the
normalized text should take (damage.md, "Canonical clean text"), made from the
clean article alone, never from the pipeline's output.
"""
from __future__ import annotations

import random
from functools import lru_cache

import regex
from opencc import OpenCC
from pypinyin import Style, pinyin

MECHANISMS = ("width", "regional", "gbk_pinyin", "gbk_shift", "utf8_as_gbk", "utf8_as_latin1",
              "stray_byte", "pdf", "html", "chrome")

# Why each rate (per 1,000 characters unless said otherwise) is realistic:
RATES = {
    # a number or Latin word typed in an IME's full-width mode: People's Daily itself
    # prints ％ 44 times in one month; web copies of agency text do it far more often
    "width": 0.15,  # share of digit/Latin runs
    # a quoted Taiwan/Hong Kong source or a traditional-script mirror of the article
    "regional": 0.25,  # share of body paragraphs written in regional traditional forms
    # sample 000: 4 stray bytes in 3,367 characters of GBK-damaged traditional text
    "gbk_pinyin_stray": 1.2,
    # a cut-and-rejoined byte stream (chunked transfer, a CMS truncating by bytes):
    # one slip in a median article; its run reaches the next ASCII byte
    "gbk_shift": 0.7,
    # a fragment (a quote box, an editor's note) stored in UTF-8 inside a GBK page
    "utf8_as_gbk": 0.7,
    # share of documents whose GBK bytes (the two slips above) a GB18030 decoder read:
    # browsers and headless crawlers read pages labelled gbk or gb2312 as GB18030 (the
    # WHATWG standard), Python scrapers mostly with its `gbk` codec
    "gb18030_decoder": 0.5,
    # a title or caption field double-encoded by a CMS: the commonest mojibake on the web
    "utf8_as_latin1": 0.5,
    # a flipped byte in an otherwise good UTF-8 file, decoded with replacement
    "stray_byte": 0.3,
    # Latin-font number runs set apart by spaces in a PDF (sample 004: most of them)
    "pdf_number_spaces": 0.5,  # share of numbers
    # a PDF whose text extractor maps the font's Chinese marks to ASCII (，to , “” to ",
    # —— to --) and its dash to the character 一 (sample 004 does both)
    "pdf_ascii_marks": 0.5,  # share of PDF documents
    "pdf_dash_as_one": 0.5,  # share of PDF documents
    # sample 004's page furniture: a sidebar set as short lines each followed by a blank
    # line, `> ` markers of the text extractor, a caption or credit line between paragraphs
    "pdf_sidebar": 0.5,  # share of PDF documents (one paragraph of each)
    "pdf_markers": 0.3,  # share of PDF documents (a marker before each of a third of the lines)
    "pdf_caption": 0.5,  # share of PDF documents (one caption line)
    # HTML: share of paragraphs whose marks are escaped, carrying an inline tag,
    # indented with &nbsp;
    "html_entities": 0.4,
    "html_tags": 0.3,
    "html_nbsp": 0.5,
}

# the characters whose GBK bytes got annotated in the wild (damage.md)
ANNOTATED = "區業發產態優質網農環現養經醫鄉創聯數驅續協據調轉內統鎮節執"

# Site furniture, after real pages of Chinese news sites (damage.md, "Site chrome")
_NAVIGATION = ["首页", "English", "手机看新闻", "网站无障碍", "登录", "注册", "客户端", "微博", "微信",
               "新闻中心", "要闻 | 时政 | 国际 | 财经 | 社会 | 科技 | 体育", "首页 > 新闻 > 正文",
               "时政 国际 财经 文化 健康 教育"]
_SHARE = ["扫一扫，分享到微信", "分享到：", "【纠错】", "返回顶部", "打印本页 关闭窗口", "[责任编辑：{name}]",
          "（责任编辑：{name}）", "编辑：{name}", "版权所有 © 2019 未经授权禁止转载", "点击排行", "相关新闻"]
_EDITORS = ["王静", "李梓", "张华", "刘洋", "陈晨", "赵敏"]
_TEASER_BULLETS = ["· ", "• ", "- ", "■ ", ""]
_TEASERS = ["春运首日客流平稳有序", "多地出台稳就业新举措", "冬季供暖保障工作有序推进",
            "新能源汽车产销再创新高", "乡村振兴战略规划实施取得进展", "科技创新助力高质量发展"]

_HAN = regex.compile(r"\p{Han}")
_SENTENCE = regex.compile(r"[。！？]")
_DIGIT_OR_LATIN = regex.compile(r"[0-9A-Za-z]+")
_NUMBER = regex.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?[%％]?")
_WHITESPACE = regex.compile(r"[\s\u3000\xa0]+")
_WIDE = {code: code + 0xFEE0 for code in range(0x21, 0x7F) if chr(code).isalnum()}
_NARROW = {value: key for key, value in _WIDE.items()} | {ord("％"): "%"}


def canonical(text: str) -> str:
    """The canonical clean form of a clean article (damage.md): one paragraph a line,
    no indentation, full-width digits and Latin letters half-width, spaces only
    between Latin words and, in the title lines, where a headline sets words apart.

    >>> canonical("标题 副题\\n\\n\\u3000\\u3000新华社北京１月３１日电\\xa0正文，GDP 增长。\\n")
    '标题 副题\\n新华社北京1月31日电正文，GDP增长。'
    """
    lines = [line for line in text.split("\n") if line.strip(" \t\u3000\xa0")]
    out = []
    in_title = True
    for line in lines:
        in_title = in_title and not line.startswith(("\u3000", " ", "\xa0", "\t"))
        line = line.translate(_NARROW).strip(" \t\u3000\xa0")
        out.append(_WHITESPACE.sub(lambda m: _space(line, m, in_title), line))
    return "\n".join(out)


def _space(line: str, match: regex.Match, in_title: bool) -> str:
    before, after = line[match.start() - 1], line[match.end()] if match.end() < len(line) else ""
    latin = before.isascii() and before.isalnum() and after.isascii() and after.isalpha() \
        or before.isascii() and before.isalpha() and after.isascii() and after.isalnum()
    return " " if in_title or latin else ""


def lenient_gbk_decode(data: bytes) -> str:
    """The decoder that made the damage of sample 000: `?` for a lead byte before a
    byte below 0x40 (which it swallows), unassigned pairs dropped, ASCII resynchronizes."""
    out = []
    index = 0
    while index < len(data):
        lead = data[index]
        if lead < 0x80:
            out.append(chr(lead))
            index += 1
            continue
        if index + 1 >= len(data) or data[index + 1] < 0x40:
            out.append("?")
            index += 2
            continue
        try:
            out.append(data[index:index + 2].decode("gbk"))
        except UnicodeDecodeError:
            pass
        index += 2
    return "".join(out)


def fold_width(text: str) -> str:
    return "".join(chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch for ch in text)


@lru_cache(maxsize=None)
def _converter(config: str) -> OpenCC:
    return OpenCC(config)


@lru_cache(maxsize=None)
def _annotations() -> list[tuple[bytes, bytes]]:
    return [(char.encode("gbk"), char.encode("gbk") + f"({pinyin(char, style=Style.TONE)[0][0]})".encode("gbk"))
            for char in ANNOTATED]


def _count(rng: random.Random, length: int, per_thousand: float) -> int:
    expected = length * per_thousand / 1000
    return int(expected) + (rng.random() < expected - int(expected))


def _lead_positions(data: bytes) -> list[int]:
    positions, index = [], 0
    while index < len(data):
        if data[index] >= 0x81:
            positions.append(index)
            index += 2
        else:
            index += 1
    return positions


def _gbk_encodable(original: str, converted: str) -> str:
    """`converted`, with each character GBK cannot encode put back as the original."""
    if len(converted) != len(original):
        return original
    return "".join(c if _encodes(c) else o for o, c in zip(original, converted))


def _encodes(char: str, codec: str = "gbk") -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _gbk_pinyin(paragraph: str, rng: random.Random) -> str:
    """Sample 000's damage: pinyin by byte replace, stray bytes, lenient decode, width fold."""
    data = paragraph.encode("gbk", errors="ignore")
    for key, annotated in _annotations():
        data = data.replace(key, annotated)
    leads = _lead_positions(data)
    for position in sorted(rng.sample(leads, min(len(leads), _count(rng, len(paragraph),
                                                                     RATES["gbk_pinyin_stray"]))), reverse=True):
        data = data[:position + 1] + bytes([rng.randrange(0x01, 0x20)]) + data[position + 1:]
    return fold_width(lenient_gbk_decode(data))


def _gbk_shift(paragraph: str, rng: random.Random, decoder: str) -> str:
    """One byte lost or inserted at a character boundary: every following pair is read
    one byte out of step until the next ASCII byte; a lone lead byte becomes U+FFFD
    (Python's and the WHATWG decoders keep the ASCII byte after it), and so does an
    unassigned pair for Python's GBK, where GB18030 reads a private-use character."""
    data = paragraph.encode("gbk", errors="ignore")
    leads = _lead_positions(data)
    if not leads:
        return paragraph
    position = rng.choice(leads)
    if rng.random() < 0.5:
        data = data[:position] + data[position + 1:]
    else:
        data = data[:position] + bytes([rng.randrange(0x81, 0xFF)]) + data[position:]
    return data.decode(decoder, errors="replace")


def _sloppy_cp1252(data: bytes) -> str:
    """windows-1252 as browsers decode it: its five undefined bytes as Latin-1."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def _charset_span(paragraph: str, rng: random.Random, misread) -> str:
    """A span of a good line stored in UTF-8 but read with another charset."""
    han = [m.start() for m in _HAN.finditer(paragraph)]
    if len(han) < 6:
        return paragraph
    length = rng.randint(3, min(40, len(han) - 1))
    start = rng.choice(han[: len(han) - length])
    end = min(len(paragraph), start + length)
    return paragraph[:start] + misread(paragraph[start:end].encode("utf-8")) + paragraph[end:]


_ASCII_MARKS = str.maketrans({"，": ",", "！": "!", "；": ";", "：": ":", "？": "?", "（": "(", "）": ")",
                               "“": '"', "”": '"', "‘": "'", "’": "'"})


def _pdf_font(paragraph: str, ascii_marks: bool, dash_as_one: bool) -> str:
    """The marks as a PDF font's text extraction gives them (sample 004)."""
    if ascii_marks:
        paragraph = paragraph.replace("——", "--").translate(_ASCII_MARKS)
    return paragraph.replace("—", "一") if dash_as_one else paragraph


def _pdf(paragraph: str, rng: random.Random, width: int, wrap: str) -> str:
    """A paragraph set in a column `width` characters wide, each line end become `wrap`;
    numbers set in a Latin font carry a space on both sides."""
    spaced = _NUMBER.sub(lambda m: f" {m.group()} " if rng.random() < RATES["pdf_number_spaces"] else m.group(),
                         paragraph).strip(" ")
    return wrap.join(spaced[i:i + width] for i in range(0, len(spaced), width))


_CAPTIONS = ["扫码看视频", "扫码阅读全文", "本版图片由{unit}提供", "本版图片均由{unit}提供", "图片来源：{unit}"]
_CREDIT_UNITS = ["当地宣传部门", "受访者", "区水利局", "市委宣传部", "本报记者"]


def _pdf_furniture(body: list[str], rng: random.Random) -> list[str]:
    """A newspaper page's furniture around the set paragraphs (sample 004): a sidebar in a
    column of its own, `> ` markers, a caption line. Drawn from `rng`, a stream of its own."""
    body = list(body)
    sidebar, markers, caption = (rng.random() < RATES[name] for name in ("pdf_sidebar", "pdf_markers", "pdf_caption"))
    long_ones = [n for n, line in enumerate(body) if len(line.replace("\n", "")) >= 30]
    if sidebar and long_ones:
        number = rng.choice(long_ones)
        flat = "".join(body[number].split("\n")).replace(" ", "")
        width = rng.randint(8, 12)
        body[number] = "\n\n".join(flat[i:i + width] for i in range(0, len(flat), width))
    if markers:
        body = ["\n".join("> " + part if part and rng.random() < 1 / 3 else part for part in line.split("\n"))
                for line in body]
    if caption and body:
        body.insert(rng.randrange(len(body) + 1), rng.choice(_CAPTIONS).format(unit=rng.choice(_CREDIT_UNITS)))
    return body


_ESCAPES = {
    "named": {"“": "&ldquo;", "”": "&rdquo;", "‘": "&lsquo;", "’": "&rsquo;", "—": "&mdash;",
              "…": "&hellip;", "·": "&middot;", "&": "&amp;", "<": "&lt;", ">": "&gt;"},
    "decimal": {ch: f"&#{ord(ch)};" for ch in "“”‘’—…·、《》"},
    "hex": {ch: f"&#x{ord(ch):x};" for ch in "“”‘’—…·《》"},
}
_ESCAPES["double"] = {ch: "&amp;" + entity[1:] for ch, entity in _ESCAPES["named"].items()}
_TAGS = ['<strong>{}</strong>', '<b>{}</b>', '<a href="/n1/2019/0201/c1001-30604812.html" target="_blank">{}</a>',
         '<span style="color:#333;">{}</span>', '<font color="red">{}</font>', '{}<br>', '{}<br/>']
_ENTITY = regex.compile(r"&[#\w]+;")
_COMMENTS = ["<!-- 正文 -->", "<!--enpcontent-->", "<!-- /正文 -->", "<!--/enpcontent-->", "<!-- 责任编辑 -->"]


def _html(paragraph: str, rng: random.Random) -> str:
    if rng.random() < RATES["html_entities"]:
        table = _ESCAPES[rng.choice(sorted(_ESCAPES))]
        paragraph = "".join(table.get(ch, ch) for ch in paragraph)
    if rng.random() < RATES["html_tags"] and len(paragraph) > 8:
        start = rng.randrange(0, len(paragraph) - 4)
        end = rng.randrange(start + 2, min(len(paragraph), start + 30) + 1)
        inside = [(m.start(), m.end()) for m in _ENTITY.finditer(paragraph)]
        if not any(a < cut < b for a, b in inside for cut in (start, end)):  # a tag never splits an entity
            paragraph = paragraph[:start] + rng.choice(_TAGS).format(paragraph[start:end]) + paragraph[end:]
    if rng.random() < RATES["html_nbsp"]:
        paragraph = "&nbsp;" * rng.choice([2, 4]) + paragraph
    return paragraph


def _chrome(rng: random.Random, teasers: list[str]) -> tuple[list[str], list[str]]:
    top = rng.sample(_NAVIGATION, rng.randint(2, 5))
    bottom = [line.format(name=rng.choice(_EDITORS)) for line in rng.sample(_SHARE, rng.randint(2, 5))]
    bullet = rng.choice(_TEASER_BULLETS)
    bottom += [bullet + title for title in rng.sample(teasers, min(len(teasers), rng.randint(1, 4)))]
    return top, bottom


def damage(text: str, seed: int, mechanisms: tuple[str, ...] = MECHANISMS,
           teasers: tuple[str, ...] = ()) -> str:
    """A clean article carrying the chosen mechanisms (all by default), the same for a seed.

    `teasers`: titles of other articles, for the related-article lines under the
    article (a few built-in titles if none are given).

    >>> damage("标题\\n\\u3000\\u3000资金1365万元用于建设。", seed=1, mechanisms=("pdf",))
    '标题\\n资金 1365 万元用于 建设。'
    >>> damage("标题", seed=3) == damage("标题", seed=3)
    True
    """
    unknown = set(mechanisms) - set(MECHANISMS)
    if unknown:
        raise ValueError(f"unknown damage mechanisms: {sorted(unknown)}")
    rng = random.Random(seed)
    lines = text.split("\n")
    first_body = next((i for i, line in enumerate(lines) if line.startswith(("\u3000", " ", "\xa0"))), len(lines))
    title, body = lines[:first_body], [line for line in lines[first_body:] if line.strip()]
    on = set(mechanisms)
    if "width" in on:
        body = [_DIGIT_OR_LATIN.sub(lambda m: m.group().translate(_WIDE) if rng.random() < RATES["width"]
                                    else m.group(), line) for line in body]
    if "pdf" in on:  # the marks as the PDF's text extraction gave them, before any byte was stored
        font = random.Random(f"pdf font {seed}")  # a stream of its own: every other draw stays as it was
        ascii_marks, dash_as_one = (font.random() < RATES[name] for name in ("pdf_ascii_marks", "pdf_dash_as_one"))
        body = [_pdf_font(line, ascii_marks, dash_as_one) for line in body]
    # each body paragraph suffers at most one byte-level mechanism (they need different sources)
    traditional = [rng.random() < RATES["regional"] for _ in body] if on & {"regional", "gbk_pinyin"} \
        else [False] * len(body)
    config = rng.choice(["s2tw", "s2hk", "s2t"]) if "regional" in on else "s2t"
    for number, line in enumerate(body):
        if traditional[number]:
            converted = _gbk_encodable(line, _converter(config).convert(line))
            body[number] = _gbk_pinyin(converted, rng) if "gbk_pinyin" in on else converted
    simplified = [n for n, is_traditional in enumerate(traditional) if not is_traditional]
    length = sum(len(line) for line in body)
    # drawn from a stream of its own, so that every other draw of a seed stays as it was
    decoder = "gb18030" if random.Random(f"decoder {seed}").random() < RATES["gb18030_decoder"] else "gbk"
    slips = [(name, misread) for name, misread in (
        ("gbk_shift", None),
        ("utf8_as_gbk", lambda data: data.decode(decoder, errors="replace")),
        ("utf8_as_latin1", _sloppy_cp1252)) if name in on]
    touched: set[int] = set()
    for name, misread in slips:
        for _ in range(_count(rng, length, RATES[name])):
            free = [n for n in simplified if n not in touched]
            if not free:
                break
            number = rng.choice(free)
            touched.add(number)
            body[number] = _gbk_shift(body[number], rng, decoder) if misread is None \
                else _charset_span(body[number], rng, misread)
    if "stray_byte" in on:
        for _ in range(_count(rng, length, RATES["stray_byte"])):
            number = rng.randrange(len(body)) if body else None
            if number is not None and body[number]:
                cut = rng.randrange(len(body[number]))
                body[number] = body[number][:cut] + "\ufffd" + body[number][cut:]
    paragraph_break = "\n"
    if "pdf" in on:
        width, wrap = rng.randint(10, 24), rng.choice([" ", "\n", " \n", "\n "])
        body = [_pdf(line.strip("\u3000 \xa0"), rng, width, wrap) for line in body]
        body = _pdf_furniture(body, random.Random(f"pdf furniture {seed}"))
        # a text extractor that breaks lines inside a paragraph leaves blank lines between paragraphs
        paragraph_break = "\n\n" if "\n" in wrap else "\n"
    if "html" in on:
        body = [_html(line, rng) for line in body]
        if body:
            at = rng.randrange(len(body))
            body[at] = rng.choice(_COMMENTS) + body[at]
    top, bottom = _chrome(rng, list(teasers) or _TEASERS) if "chrome" in on else ([], [])
    head = "\n".join(top + title + [""]) if title or top else ""
    return head + paragraph_break.join(body) + "".join("\n" + line for line in bottom)
