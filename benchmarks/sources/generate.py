#!/usr/bin/env python3
"""gen4: damaged Chinese news documents as crawlers deliver them from sources
not modelled before (aggregator apps, RSS/Atom feeds, forum reposts, Weibo long
posts, web-archive snapshots, mail newsletters, newspaper PDFs from another
extractor, Taiwan/Hong Kong pages with pinyin/zhuyin, wrong charsets).

    python benchmarks/sources/generate.py --seed 1 --out DIR [--n 200]

Writes OUT/docs/<id>.txt (the raw str as the crawler decoded it; UTF-8 file,
read it with newline=''), OUT/ref/<id>.txt (canonical clean text),
OUT/manifest.jsonl (source kind, delivery, mechanisms in order, inserted noise
by category, damaged reference spans, estimated irrecoverable characters).

Articles: peoples_daily_2019-02.jsonl minus its last 240 lines.
"""
import argparse
import html
import html.entities
import json
import os
import random
import re
import sys

import opencc
from pypinyin import pinyin, Style

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chrome as C  # noqa: E402
from charsets import (lenient_gbk_decode, decode_cp1252_whatwg, width_fold,  # noqa: E402
                      decode_replace_recording)

# the clean articles, in ../shared beside the repository (never copied into it)
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'corpora', 'news',
                      'peoples_daily_2019-02.jsonl')
HOLDOUT_TAIL = 240

# Private-use sentinels carried through rendering, consumed at the byte stage.
SPAN_S, SPAN_E, POINT, AMP = 0xE100, 0xE200, 0xE300, '\ue501'
PUA_RE = re.compile('[\ue100-\ue5ff]')
SENT_SPLIT = re.compile(r'(?<=[。！？；])')

KINDS = ['aggregator', 'rss', 'forum', 'weibo', 'archive', 'newsletter', 'pdf2', 'trad', 'charset']
KIND_SHARE = [24, 24, 24, 22, 20, 20, 24, 22, 20]

_CC = {}


def cc(cfg):
    if cfg not in _CC:
        _CC[cfg] = opencc.OpenCC(cfg)
    return _CC[cfg]


def convert_keep_pua(text, cfg):
    """OpenCC drops private-use characters: convert the pieces between them."""
    parts = re.split('([\ue100-\ue5ff])', text)
    return ''.join(p if PUA_RE.fullmatch(p or 'x') else cc(cfg).convert(p) for p in parts)


def fw_fold_alnum(s):
    return ''.join(chr(ord(c) - 0xFEE0) if (0xFF10 <= ord(c) <= 0xFF19 or 0xFF21 <= ord(c) <= 0xFF3A
                                            or 0xFF41 <= ord(c) <= 0xFF5A) else c for c in s)


def canon_line(s):
    s = s.replace('\xa0', ' ').replace('\u3000', ' ')
    s = re.sub(r'\s+', ' ', s).strip()
    return fw_fold_alnum(s)


def load_pool():
    with open(CORPUS, encoding='utf-8') as f:
        rows = [json.loads(x) for x in f if x.strip()]
    rows = rows[:-HOLDOUT_TAIL]
    pool = []
    for a in rows:
        ls = [canon_line(x) for x in a['text'].split('\n')]
        ls = [x for x in ls if x]
        n = sum(len(x) for x in ls)
        if len(ls) < 3 or n < 300 or n > 3200:
            continue
        if sum(x.count('■') + x.count('│') for x in ls) > 3:
            continue
        pool.append({'id': a['id'], 'published': a.get('published', '2019-02-01'), 'lines': ls})
    return pool, rows


# ----------------------------------------------------------------------------
class Doc:
    def __init__(self, did, rng, kind, art, teasers):
        self.id, self.rng, self.kind, self.art = did, rng, kind, art
        self.lines = list(art['lines'])      # clean lines, title first; sentinels get inserted
        self.teasers = teasers
        self.mechs = []
        self.noise = []
        self.spans = []                       # {k, mech, granularity}
        self.points = []                      # {k, mech, op}
        self.cv = lambda s: s                 # converter for chrome (traditional pages)
        self.trad_cfg = None
        self.ann = None                       # {'map': {char: reading}, 'style': ...}
        self.ent = 'plain'
        self.page_enc = 'utf-8'
        self.gbk_decoder = None
        self.doc_decode = None                # 'cp1252' | 'latin1' | 'double'
        self.fold = False
        self.pinyin_bytes = None
        self.inserted_bytes = 0
        self.delivery = 'text'
        self.extract = None                   # naive text extraction of an html page
        self.lossy = 0
        self.info = {}
        y, m, d = art['published'].split('-')
        self.y, self.m, self.d = int(y), int(m), int(d)

    def M(self, *names):
        for n in names:
            if n not in self.mechs:
                self.mechs.append(n)

    def N(self, cat, text):
        text = self.cv(text)
        self.noise.append({'cat': cat, 'text': text})
        return text

    def name(self):
        r = self.rng
        return r.choice(C.SURNAMES) + ''.join(r.choice(C.GIVEN) for _ in range(r.choice((1, 2))))

    def date_cn(self):
        return '%d年%d月%d日' % (self.y, self.m, self.d)

    def date_iso(self, hm=True):
        s = '%d-%02d-%02d' % (self.y, self.m, self.d)
        if hm:
            s += ' %02d:%02d' % (self.rng.randint(6, 22), self.rng.randint(0, 59))
        return s

    @property
    def title(self):
        return self.lines[0]

    @property
    def body(self):
        return self.lines[1:]

    def teaser(self):
        return self.rng.choice(self.teasers)


# ---------------------------------------------------------------- sentinels
def _free_lines(doc):
    used = set()
    for sp in doc.spans:
        used |= set(sp['lines'])
    return [i for i in range(1, len(doc.lines)) if i not in used and len(doc.lines[i]) >= 12]


def add_span(doc, mech, gran=None):
    """Mark a run of the article (sentences, a paragraph or the whole body) that
    will be carried as foreign bytes. Returns the span dict or None."""
    r = doc.rng
    gran = gran or r.choices(['sentence', 'paragraph', 'body'], [45, 40, 15])[0]
    k = len(doc.spans) + len(doc.points)
    free = _free_lines(doc)
    if not free:
        return None
    if gran == 'body':
        if doc.spans:
            gran = 'paragraph'
        else:
            first, last = 1, len(doc.lines) - 1
            doc.lines[first] = chr(SPAN_S + k) + doc.lines[first]
            doc.lines[last] = doc.lines[last] + chr(SPAN_E + k)
            sp = {'k': k, 'mech': mech, 'gran': gran, 'lines': list(range(first, last + 1))}
            doc.spans.append(sp)
            return sp
    i = r.choice(free)
    line = doc.lines[i]
    if gran == 'paragraph':
        doc.lines[i] = chr(SPAN_S + k) + line + chr(SPAN_E + k)
    else:
        sents = [s for s in SENT_SPLIT.split(line) if s]
        if len(sents) <= 1:
            a, b = 0, len(line)
        else:
            j = r.randrange(len(sents))
            n = r.choice((1, 1, 2, 3))
            a = sum(len(s) for s in sents[:j])
            b = a + sum(len(s) for s in sents[j:j + n])
        doc.lines[i] = line[:a] + chr(SPAN_S + k) + line[a:b] + chr(SPAN_E + k) + line[b:]
    sp = {'k': k, 'mech': mech, 'gran': gran, 'lines': [i]}
    doc.spans.append(sp)
    return sp


def add_point(doc, mech, op):
    r = doc.rng
    k = len(doc.spans) + len(doc.points)
    cands = [i for i in range(1, len(doc.lines)) if len(PUA_RE.sub('', doc.lines[i])) >= 10]
    if not cands:
        return None
    i = r.choice(cands)
    line = doc.lines[i]
    pos = [j for j in range(1, len(line)) if not PUA_RE.match(line[j]) and not PUA_RE.match(line[j - 1])]
    j = r.choice(pos) if pos else 0
    doc.lines[i] = line[:j] + chr(POINT + k) + line[j:]
    pt = {'k': k, 'mech': mech, 'op': op, 'line': i}
    doc.points.append(pt)
    return pt


def ref_and_offsets(doc):
    """Clean reference text, and the reference offset of every sentinel."""
    joined = '\n'.join(doc.lines)
    out, pos = [], {}
    for ch in joined:
        if PUA_RE.match(ch):
            pos[ord(ch)] = len(out)
        else:
            out.append(ch)
    return ''.join(out), pos


# ---------------------------------------------------------------- escaping
NAMED = {'“': '&ldquo;', '”': '&rdquo;', '‘': '&lsquo;', '’': '&rsquo;', '—': '&mdash;', '…': '&hellip;',
         '·': '&middot;', '×': '&times;', '°': '&deg;', '±': '&plusmn;', '℃': '&#8451;'}


def esc(doc, s):
    s = s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    st = doc.ent
    if st == 'named':
        s = ''.join(NAMED.get(c, c) for c in s)
    elif st == 'numeric':
        hexa = doc.rng.random() < 0.3
        s = ''.join(('&#x%X;' % ord(c) if hexa else '&#%d;' % ord(c)) if c in NAMED else c for c in s)
    elif st == 'double':
        s = ''.join(NAMED.get(c, c) for c in s).replace('&', '&amp;')
    elif st == 'ncr_all':
        s = ''.join('&#%d;' % ord(c) if ord(c) > 127 and not PUA_RE.match(c) else c for c in s)
    return s


def nbsp_indent(doc):
    return doc.rng.choice(['&nbsp;&nbsp;&nbsp;&nbsp;', '&nbsp;&nbsp;', '\u3000\u3000', '&emsp;&emsp;', '　　'])


# ---------------------------------------------------------------- annotation
ANN_PAREN_CHARS = {'paren': ('(', ')'), 'fw': ('（', '）'), 'bracket': ('[', ']')}


def common_chars(doc, n):
    """The document's n most frequent Chinese characters, most frequent first (ties in text order)."""
    text = PUA_RE.sub('', '\n'.join(doc.lines))
    freq = {}
    for ch in text:
        if '\u4e00' <= ch <= '\u9fff':
            freq[ch] = freq.get(ch, 0) + 1
    return sorted(freq, key=lambda c: -freq[c])[:n]


def setup_annotation(doc, style):
    """Choose a fixed set of characters; every occurrence gets its reading."""
    r = doc.rng
    common = common_chars(doc, 120)
    chosen = r.sample(common, min(len(common), r.randint(10, 30)))
    zh = style.startswith('zhuyin')
    m = {}
    for ch in chosen:
        py = pinyin(ch, style=Style.BOPOMOFO if zh else Style.TONE)[0][0]
        if py and py != ch:
            m[ch] = py
    doc.ann = {'map': m, 'style': style}


def annotate(doc, s, html_ok):
    if not doc.ann or doc.ann['style'] == 'pinyin_gbk_bytes':
        return s
    m, st = doc.ann['map'], doc.ann['style']
    ruby = st.endswith('ruby') and html_ok
    if ruby:
        return ''.join('<ruby>%s<rp>(</rp><rt>%s</rt><rp>)</rp></ruby>' % (c, m[c]) if c in m else c for c in s)
    o, cl = ANN_PAREN_CHARS[doc.ann.get('paren', 'paren')]
    return ''.join(c + o + m[c] + cl if c in m else c for c in s)


# ---------------------------------------------------------------- wrapping
def cwidth(c):
    if PUA_RE.match(c):
        return 0
    o = ord(c)
    if o >= 0x1100 and (0x2E80 <= o <= 0xA4CF or 0xAC00 <= o <= 0xD7A3 or 0xF900 <= o <= 0xFAFF
                        or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFF60 or 0xFFE0 <= o <= 0xFFE6
                        or o in (0x201C, 0x201D, 0x2018, 0x2019, 0x2014, 0x2026, 0x00B7)):
        return 2
    return 1


NO_LINE_START = set('，。、；：？！）」』”’》〉…,.;:?!)')


def hard_wrap(s, width, kinsoku=False):
    """Break a paragraph every `width` display columns, anywhere (inside words
    and numbers), as a mail client or a PDF column does; no hyphen, no space.
    kinsoku: closing punctuation never starts a line (typeset columns)."""
    out, cur, w = [], [], 0
    for c in s:
        cw = cwidth(c)
        if w + cw > width and cur and not (kinsoku and c in NO_LINE_START):
            out.append(''.join(cur)); cur, w = [], 0
        cur.append(c); w += cw
    if cur:
        out.append(''.join(cur))
    return out


def dwidth(s):
    return sum(cwidth(c) for c in s)


# ---------------------------------------------------------------- naive text extraction
BLOCK_END = re.compile(r'</(p|div|li|h[1-6]|tr|ul|ol|table|section|article|header|footer|title|dd|dt)\s*>|<br\s*/?>|<hr\s*/?>',
                       re.I)


def naive_text(page, unescape=True, keep_comments=False):
    """What a simple crawler keeps of a page: tags stripped, block ends as
    line breaks, entities decoded once (or not at all)."""
    t = re.sub(r'<script\b.*?</script>|<style\b.*?</style>', '\n', page, flags=re.S | re.I)
    if not keep_comments:
        t = re.sub(r'<!--.*?-->', '', t, flags=re.S)
    t = BLOCK_END.sub('\n', t)
    t = re.sub(r'<(?!!--)[^<>]*>', '', t)
    if unescape:
        t = html.unescape(t)
    lines = [x.rstrip() for x in t.split('\n')]
    out, blank = [], 0
    for x in lines:
        if not x.strip():
            blank += 1
            if blank == 1:
                out.append('')
            continue
        blank = 0
        out.append(x)
    return '\n'.join(out).strip('\n') + '\n'


# ---------------------------------------------------------------- generic html page pieces
def nav_row(doc, k=None, sep=None):
    r = doc.rng
    items = r.sample(C.NAV_SIMPLE, k or r.randint(5, 12))
    sep = sep if sep is not None else r.choice([' | ', '  ', ' ', '｜'])
    return doc.N('nav', sep.join(items))


def related_block(doc, html_mode):
    r = doc.rng
    head = doc.N('teaser', r.choice(C.RELATED_HEAD))
    items = []
    for _ in range(r.randint(2, 6)):
        t = doc.teaser()
        b = r.choice(C.BULLETS)
        date = r.choice(['', ' ' + doc.date_iso(False), ' (%02d-%02d)' % (doc.m, doc.d)])
        items.append(doc.N('teaser', (b if not html_mode else '') + t + date))
    if html_mode:
        lis = ''.join('<li><a href="/n1/2019/%02d%02d/c1001-%d.html">%s</a></li>\n' % (
            doc.m, doc.d, r.randint(30000000, 30999999), esc(doc, x)) for x in items)
        return '<div class="related"><h3>%s</h3><ul>\n%s</ul></div>\n' % (esc(doc, head), lis)
    return '\n'.join([head] + items)


def body_html(doc, tag='p', indent=True):
    r = doc.rng
    out = []
    for ln in doc.body:
        t = annotate(doc, esc(doc, ln), True)
        ind = nbsp_indent(doc) if indent else ''
        if tag == 'p':
            out.append('<p>%s%s</p>' % (ind, t))
        else:
            out.append('%s%s<br />' % (ind, t))
    if r.random() < 0.3:  # a tag left open or inline markup inside a paragraph
        i = r.randrange(len(out))
        out[i] = out[i].replace('<p>', '<p><strong>', 1).replace('</p>', '</strong></p>', 1)
    return '\n'.join(out)


def news_page(doc, site, extra_top='', extra_bottom='', charset='utf-8'):
    """A generic Chinese news page (the site that is reposted, archived, mis-decoded)."""
    r = doc.rng
    t_esc = esc(doc, doc.title)
    share = ' '.join(doc.N('share', x) for x in r.sample(C.SHARE, r.randint(2, 6)))
    tools = ' | '.join(doc.N('nav', x) for x in r.sample(C.NAV_TOOLS, r.randint(2, 5)))
    src = doc.N('byline', '%s  来源：%s' % (doc.date_iso(), r.choice(C.SOURCES)))
    foot = '<br />'.join(esc(doc, doc.N('footer', x)) for x in r.sample(C.FOOTER, r.randint(2, 5)))
    editor = doc.N('editor', r.choice(['（责任编辑：%s、%s）', '责编：%s、%s', '(责编：%s、%s)', '编辑：%s 审核：%s']) % (doc.name(), doc.name()))
    comment = r.random() < 0.6
    doc.info['site'] = site
    desc = esc(doc, PUA_RE.sub('', doc.body[0])[:60])
    parts = ['<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=%s" />' % charset,
             '<title>%s--%s</title>' % (annotate(doc, t_esc, False), site),
             '<meta name="description" content="%s" />' % desc,
             '<script type="text/javascript">var _hmt = _hmt || []; (function(){var hm=document.createElement("script");})();</script>',
             '<style>body{font-family:"Microsoft YaHei";font-size:14px}.nav a{color:#333}</style>',
             '</head>\n<body>', extra_top,
             '<div class="top">%s</div>' % esc(doc, tools),
             '<div class="nav">%s</div>' % esc(doc, nav_row(doc)),
             '<div class="path">%s</div>' % esc(doc, doc.N('nav', '当前位置：%s > %s > 正文' % (site, r.choice(C.SECTIONS)))),
             '<div class="text_title">\n<h1>%s</h1>' % annotate(doc, t_esc, True),
             '<div class="box01"><div class="fl">%s</div><div class="fr">%s</div></div>\n</div>' % (esc(doc, src), esc(doc, share)),
             '<!-- 正文 -->' if comment else '',
             '<div class="box_con" id="rwb_zw">', body_html(doc), '</div>',
             '<!-- /正文 -->' if comment else '',
             '<div class="edit">%s</div>' % esc(doc, editor),
             '<div class="share">%s</div>' % esc(doc, doc.N('share', r.choice(C.SHARE))),
             related_block(doc, True) if r.random() < 0.8 else '',
             '<div class="footer">%s</div>' % foot,
             '<div class="gotop">%s</div>' % esc(doc, doc.N('footer', '返回顶部')) if r.random() < 0.5 else '',
             extra_bottom, '</body>\n</html>\n']
    doc.M('html_markup', 'chrome_nav', 'chrome_share', 'chrome_footer', 'editor_line')
    if comment:
        doc.M('html_comments')
    return '\n'.join(p for p in parts if p)


# ---------------------------------------------------------------- renderers per source kind
def r_aggregator(doc):
    r = doc.rng
    app = r.choice(C.AGG_APPS)
    author = doc.N('byline', r.choice(['人民日报', '人民网', '新闻早知道', '时政观察']) + r.choice(['', '号', '客户端']))
    top = [doc.N('app_ui', x) for x in r.sample(C.AGG_TOP, r.randint(1, 3))]
    meta = doc.N('byline', '%s %s %s' % (author, doc.date_iso(), r.choice(['', '阅读 %d' % r.randint(1000, 99999), '%d评' % r.randint(1, 999)])))
    paras = [annotate(doc, esc(doc, x), True) for x in doc.body]
    cut = r.randint(1, max(1, len(paras) - 1))
    mid = doc.N('app_ui', r.choice(C.AGG_MID))
    bottoms = [doc.N('app_ui', x.format(app=app)) for x in r.sample(C.AGG_BOTTOM, r.randint(3, 7))]
    comments = []
    if r.random() < 0.5:
        doc.M('user_comments')
        for _ in range(r.randint(1, 4)):
            comments.append('<div class="cmt"><span class="u">%s</span><p>%s</p><span>%d赞</span></div>' % (
                doc.N('comments', '用户' + str(r.randint(1000000, 9999999))), doc.N('comments', r.choice(C.AGG_COMMENTS)), r.randint(0, 999)))
    ads = ''
    if r.random() < 0.5:
        ads = '<div class="ad"><span>%s</span><a>%s</a></div>' % (doc.N('app_ui', '广告'), esc(doc, doc.N('ad', r.choice(
            ['秒杀低至1折，限时抢购！', '新用户注册领红包', '下载%s，看更多精彩' % app, '点击领取您的专属福利']))))
        doc.M('ads')
    state = ''
    if r.random() < 0.35:  # app pages embed the article as JSON for hydration
        doc.M('script_json_dup')
        data = {'title': PUA_RE.sub('', doc.title), 'content': ''.join('<p>%s</p>' % PUA_RE.sub('', x) for x in doc.body[:3]),
                'source': author}
        state = '<script>window.__INITIAL_STATE__=%s;</script>' % json.dumps(data, ensure_ascii=r.random() < 0.5)
    rec = ''.join('<li><a>%s</a><span>%s %d评</span></li>' % (esc(doc, doc.N('teaser', doc.teaser())), doc.N('teaser', author), r.randint(0, 900))
                  for _ in range(r.randint(2, 5)))
    page = '\n'.join([
        '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
        '<title>%s - %s</title></head><body>' % (esc(doc, doc.title), app), state,
        '<header class="app-bar">%s</header>' % ' '.join('<a class="btn">%s</a>' % x for x in top),
        '<h1 class="article-title">%s</h1>' % annotate(doc, esc(doc, doc.title), True),
        '<div class="article-meta">%s</div>' % esc(doc, meta),
        '<article>', '\n'.join('<p>%s</p>' % x for x in paras[:cut]),
        '<div class="fold">%s</div>' % mid, '\n'.join('<p>%s</p>' % x for x in paras[cut:]), '</article>', ads,
        '<section class="rec"><h3>%s</h3><ul>%s</ul></section>' % (doc.N('teaser', r.choice(['相关推荐', '为你推荐', '大家都在看'])), rec),
        '<footer>%s</footer>' % ' '.join('<span>%s</span>' % esc(doc, x) for x in bottoms), '\n'.join(comments),
        '</body></html>\n'])
    doc.M('html_markup', 'app_ui', 'teasers')
    return page, 'html'


def r_rss(doc):
    r = doc.rng
    ch = r.choice(C.FEED_CHANNELS)
    link = 'http://www.example-news.cn/n1/%d/%02d%02d/c%d-%d.html' % (doc.y, doc.m, doc.d, r.randint(1000, 9999), r.randint(30000000, 30999999))
    content = '\n'.join('<p>%s%s</p>' % (nbsp_indent(doc) if r.random() < 0.3 else '', annotate(doc, esc(doc, x), True)) for x in doc.body)
    if r.random() < 0.3:
        content = '<img src="http://img.example-news.cn/%d.jpg" alt="" />\n' % r.randint(1, 99999) + content
        doc.M('feed_img')
    summ_txt = PUA_RE.sub('', doc.body[0])
    summary = esc(doc, summ_txt[:r.randint(40, 120)]) + '...'
    mode = r.choices(['cdata', 'escaped_once', 'escaped_twice'], [45, 35, 20])[0]
    doc.M('feed_' + mode)
    title = esc(doc, doc.title)

    def wrap(s):
        if mode == 'cdata':
            return '<![CDATA[%s]]>' % s
        s = s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
        if mode == 'escaped_twice':
            s = s.replace('&', '&amp;')
        return s
    atom = r.random() < 0.35
    has_summary = r.random() < 0.6
    if has_summary:
        doc.M('feed_summary_dup')
        doc.noise.append({'cat': 'feed_summary', 'text': summ_txt[:120]})
    date = 'Fri, %02d Feb %d %02d:%02d:00 +0800' % (doc.d, doc.y, r.randint(5, 22), r.randint(0, 59))
    chan_title = doc.N('feed_header', ch)
    chan_desc = doc.N('feed_header', r.choice(['人民网时政频道最新新闻', '最新要闻，实时更新', '权威发布 滚动新闻']))
    author = doc.N('byline', doc.name())
    if atom:
        doc.M('feed_atom')
        xml = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
               '<title>%s</title>' % chan_title, '<subtitle>%s</subtitle>' % chan_desc,
               '<updated>%d-%02d-%02dT08:00:00+08:00</updated>' % (doc.y, doc.m, doc.d),
               '<entry>', '<title type="html">%s</title>' % wrap(title), '<link href="%s"/>' % link,
               '<id>%s</id>' % link, '<published>%d-%02d-%02dT07:30:00+08:00</published>' % (doc.y, doc.m, doc.d),
               '<author><name>%s</name></author>' % author]
        if has_summary:
            xml.append('<summary type="html">%s</summary>' % wrap(summary))
        xml += ['<content type="html">%s</content>' % wrap(content), '</entry>', '</feed>\n']
    else:
        xml = ['<?xml version="1.0" encoding="utf-8"?>',
               '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
               '<channel>', '<title>%s</title>' % chan_title, '<link>http://www.example-news.cn/</link>',
               '<description>%s</description>' % chan_desc, '<language>zh-cn</language>',
               '<item>', '<title>%s</title>' % wrap(title), '<link>%s</link>' % link,
               '<dc:creator>%s</dc:creator>' % author, '<pubDate>%s</pubDate>' % date,
               '<guid isPermaLink="true">%s</guid>' % link]
        if has_summary:
            xml.append('<description>%s</description>' % wrap(summary))
        xml.append('<content:encoded>%s</content:encoded>' % wrap(content))
        if r.random() < 0.4:
            xml.append('<category>%s</category>' % doc.N('feed_header', r.choice(C.SECTIONS)))
        xml += ['</item>', '</channel>', '</rss>\n']
    doc.M('feed_xml', 'feed_header')
    return '\n'.join(xml), 'xml'


def r_forum(doc):
    r = doc.rng
    forum, board = r.choice(C.FORUMS), r.choice(C.BOARDS)
    user = 'user_%d' % r.randint(100, 99999) if r.random() < 0.5 else doc.name() + str(r.randint(1, 999))
    tag = r.choice(C.FORUM_TAGS)
    doc.M('forum_header', 'tag_brackets')
    bb = r.random() < 0.35
    quote = r.choices(['none', 'gt', 'quote_block'], [35, 35, 30])[0]
    head = [doc.N('forum_header', '%s › %s › %s' % (forum, board, tag + PUA_RE.sub('', doc.title))),
            doc.N('forum_header', '查看: %d|回复: %d' % (r.randint(50, 20000), r.randint(0, 300))),
            doc.N('forum_header', r.choice(C.FORUM_FLOORS[:1])), doc.N('forum_header', user),
            doc.N('forum_header', '发表于 %d-%d-%d %02d:%02d | %s' % (doc.y, doc.m, doc.d, r.randint(0, 23), r.randint(0, 59), r.choice(C.FORUM_UI)))]
    if r.random() < 0.4:
        head.append(doc.N('forum_header', '本帖最后由 %s 于 %d-%d-%d %02d:%02d 编辑' % (user, doc.y, doc.m, doc.d, r.randint(0, 23), r.randint(0, 59))))
    post = []
    title_line = doc.N('tag', tag) + annotate(doc, doc.title, False) if r.random() < 0.7 else annotate(doc, doc.title, False)
    post.append(('[b]%s[/b]' % title_line) if bb else title_line)
    src = doc.N('forum_header', r.choice(['转自：人民日报 %s 第%02d版' % (doc.date_cn(), r.randint(1, 24)),
                                           '来源：人民日报', '原文转自人民网', '转载自：人民日报客户端']))
    post.append(src)
    if r.random() < 0.5:
        post.append(doc.N('forum_header', '原文链接：http://paper.example-news.cn/rmrb/html/%d-%02d/%02d/nw.D110000renmrb_%d%02d%02d_%d-%02d.htm'
                          % (doc.y, doc.m, doc.d, doc.y, doc.m, doc.d, r.randint(1, 9), r.randint(1, 24))))
    body = [annotate(doc, x, False) for x in doc.body]
    if bb:
        doc.M('bbcode')
        body = ['[size=%d][color=#%06x]%s[/color][/size]' % (r.choice((3, 4)), r.randint(0, 0x444444), x) if r.random() < 0.6 else x
                for x in body]
        if r.random() < 0.4:
            body.insert(r.randint(0, len(body)), '[img]http://img.example-bbs.cn/forum/%d.jpg[/img]' % r.randint(1, 99999))
            doc.noise.append({'cat': 'markup', 'text': 'img'})
    if quote == 'gt':
        doc.M('forum_quote')
        mk = r.choice(['> ', '>', '》', '| '])
        body = [mk + x for x in body]
        doc.noise.append({'cat': 'quote_marker', 'text': mk})
    elif quote == 'quote_block':
        doc.M('forum_quote')
        intro = doc.N('forum_header', '以下是引用%s在%d-%d-%d %d:%02d:%02d的发言：' % (doc.name(), doc.y, doc.m, doc.d, r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)))
        if bb:
            body = ['[quote]' + intro] + body + ['[/quote]']
        else:
            body = [intro] + body
    post += body
    if r.random() < 0.6:
        doc.M('forum_signature')
        post += [doc.N('signature', r.choice(['------------------', '----', '__________________'])),
                 doc.N('signature', r.choice(C.SIGNATURES))]
    post.append(doc.N('forum_ui', ' '.join(r.sample(C.FORUM_UI, r.randint(2, 5)))))
    replies = []
    if r.random() < 0.6:
        doc.M('forum_replies')
        for fl in C.FORUM_FLOORS[1:1 + r.randint(1, 4)]:
            replies += [doc.N('reply', fl), doc.N('reply', doc.name() + str(r.randint(1, 99))),
                        doc.N('reply', '发表于 %d-%d-%d %02d:%02d' % (doc.y, doc.m, doc.d, r.randint(0, 23), r.randint(0, 59))),
                        doc.N('reply', r.choice(C.FORUM_REPLIES))]
    lines = head + post + replies
    if r.random() < 0.4:
        # Discuz page source: html with <br /> inside the post cell
        doc.M('html_markup')
        hd = '\n'.join('<div class="hd">%s</div>' % esc(doc, x) for x in head)
        cell = '<br />\r\n'.join(esc(doc, x) for x in post)
        rp = '\n'.join('<div class="reply">%s</div>' % esc(doc, x) for x in replies)
        page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=%s" /><title>%s - %s - %s</title></head><body>\n'
                '%s\n<table><tr><td class="t_f" id="postmessage_%d">\n%s\n</td></tr></table>\n%s\n</body></html>\n') % (
            doc.page_enc, esc(doc, PUA_RE.sub('', doc.title)), board, forum, hd, r.randint(100000, 9999999), cell, rp)
        return page, 'html'
    return '\n'.join(lines) + '\n', 'text'


def r_weibo(doc):
    r = doc.rng
    user = r.choice(C.WEIBO_USERS)
    lines = []
    ui1 = [doc.N('weibo_ui', user + r.choice(['', ' V', ' 𝐕'])),
           doc.N('weibo_ui', '%d-%d %02d:%02d 来自 %s' % (doc.m, doc.d, r.randint(5, 23), r.randint(0, 59), r.choice(C.WEIBO_CLIENTS)))]
    lines += ui1
    doc.M('weibo_ui')
    topics = []
    if r.random() < 0.8:
        doc.M('weibo_topics')
        for _ in range(r.randint(1, 2)):
            topics.append(doc.N('topic', '#%s#' % r.choice(C.WEIBO_TOPICS)))
    body = [annotate(doc, x, False) for x in doc.body]
    title = annotate(doc, doc.title, False)
    if r.random() < 0.75:
        doc.M('weibo_title_inline')
        doc.noise.append({'cat': 'tag', 'text': '【】'})
        first = ''.join(topics) + '【' + title + '】' + body[0]
        rest = body[1:]
    else:
        lines.append(''.join(topics) + title) if topics else lines.append(title)
        first, rest = body[0], body[1:]
    post = [first] + rest
    if r.random() < 0.5:
        doc.M('weibo_mentions')
        i = r.randrange(len(post))
        post[i] = post[i] + doc.N('mention', r.choice(['（@%s）', '@%s ', ' //@%s:转发微博', '（来源：@%s）']) % r.choice(C.WEIBO_USERS))
    if r.random() < 0.4:
        doc.M('weibo_emoji')
        for _ in range(r.randint(1, 3)):
            i = r.randrange(len(post))
            post[i] = post[i] + doc.N('emoji', r.choice(C.WEIBO_EMOJI))
    exp = r.random()
    if exp < 0.35:
        # list-page preview (truncated) followed by the full text fetched after 展开全文
        doc.M('weibo_expand', 'weibo_preview_dup')
        flat = PUA_RE.sub('', first)
        cut = r.randint(40, 130)
        prev = flat[:cut] + doc.N('weibo_ui', r.choice(['...展开全文c', '…全文', ' ...展开全文c']))
        doc.noise.append({'cat': 'preview_dup', 'text': flat[:cut]})
        lines.append(prev)
    elif exp < 0.6:
        doc.M('weibo_expand')
        i = r.randrange(len(post))
        s = post[i]
        j = r.randint(0, len(s))
        while j < len(s) and PUA_RE.match(s[j]):
            j += 1
        post[i] = s[:j] + doc.N('weibo_ui', r.choice(['展开全文c', '...展开全文c', ' 展开全文'])) + s[j:]
    if r.random() < 0.5:
        doc.M('weibo_flattened')
        lines.append(' '.join(post))
    else:
        lines += post
    if r.random() < 0.8:
        doc.M('weibo_links')
        link = doc.N('weibo_ui', r.choice(['网页链接', 'O网页链接', '%s的微博视频' % user, 'L%s的秒拍视频' % user, '查看图片']))
        if r.random() < 0.5:
            lines[-1] = lines[-1] + ' ' + link
        else:
            lines.append(link)
    if r.random() < 0.5:
        lines.append(doc.N('weibo_ui', '收起全文d'))
    lines.append(doc.N('weibo_ui', '转发 %d  评论 %d  赞 %d' % (r.randint(10, 9999), r.randint(10, 9999), r.randint(100, 99999))))
    if r.random() < 0.3:
        doc.M('user_comments')
        for _ in range(r.randint(1, 3)):
            lines.append(doc.N('comments', '%s：%s' % (doc.name(), r.choice(C.AGG_COMMENTS))))
    if r.random() < 0.25:
        doc.M('html_markup')
        page = '<div class="WB_detail"><div class="WB_info"><a>%s</a></div><div class="WB_text W_f14">%s</div></div>\n' % (
            esc(doc, lines[0]), '<br>'.join(esc(doc, x) for x in lines[1:]))
        return page, 'html'
    return '\n'.join(lines) + '\n', 'text'


def r_archive(doc):
    r = doc.rng
    site = r.choice(C.SITES)
    url = 'http://www.example-news.cn/n1/%d/%02d%02d/c%d-%d.html' % (doc.y, doc.m, doc.d, r.randint(1000, 9999), r.randint(30000000, 30999999))
    if r.random() < 0.6:
        doc.M('archive_wayback')
        ts = '%d%02d%02d%02d%02d%02d' % (doc.y, doc.m, doc.d + r.randint(0, 5) if doc.d < 23 else doc.d, r.randint(0, 23), r.randint(0, 59), r.randint(0, 59))
        fill = dict(ts=ts, url=url, n=r.randint(2, 300), d1='%02d Feb %d' % (doc.d, doc.y),
                    d2='%02d %s %d' % (r.randint(1, 28), r.choice(['Jan', 'Mar', 'Jun', 'Oct']), doc.y + r.randint(1, 5)),
                    yprev=doc.y - 1, y=doc.y, ynext=doc.y + 1)
        tb = [doc.N('archive', x.format(**fill)) for x in C.WAYBACK if r.random() < 0.75]
    else:
        doc.M('archive_today')
        fill = dict(url=url, d='%d Feb %d' % (doc.d, doc.y), t='%02d:%02d:%02d' % (r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)),
                    host='www.example-news.cn')
        tb = [doc.N('archive', x.format(**fill)) for x in C.ARCHIVE_TODAY if r.random() < 0.75]
    top = '<div id="wm-ipp-base"><div id="wm-ipp">%s</div></div>' % '\n'.join('<span>%s</span><br>' % html.escape(x) for x in tb)
    page = news_page(doc, site, extra_top=top, charset=doc.page_enc)
    page = re.sub(r'href="(/[^"]*)"', lambda m: 'href="/web/%s/%s%s"' % ('2019', 'http://www.example-news.cn', m.group(1)), page)
    doc.M('archive_toolbar')
    return page, 'html'


def r_newsletter(doc):
    r = doc.rng
    lst = r.choice(C.MAIL_LISTS)
    W = r.choice([60, 64, 70, 72, 76, 78])
    head = [doc.N('mail_header', '发件人: %s <digest@news.example.cn>' % lst),
            doc.N('mail_header', '发送时间: %s 星期%s %d:%02d' % (doc.date_cn(), '一二三四五六日'[r.randint(0, 6)], r.randint(6, 9), r.randint(0, 59))),
            doc.N('mail_header', '收件人: reader%d@example.com' % r.randint(1, 9999)),
            doc.N('mail_header', '主题: [%s] %s' % (lst, PUA_RE.sub('', doc.title)))]
    doc.M('mail_headers', 'mail_hardwrap', 'mail_footer')
    top = [doc.N('mail_chrome', x) for x in r.sample(C.MAIL_TOP[:2], r.randint(0, 2))]
    toc = []
    if r.random() < 0.6:
        doc.M('mail_toc')
        toc.append(doc.N('mail_chrome', r.choice(['本期导读', '今日要闻', '今日导读'])))
        items = [doc.teaser() for _ in range(r.randint(1, 4))]
        items.insert(r.randint(0, len(items)), PUA_RE.sub('', doc.title))
        for i, t in enumerate(items):
            toc.append(doc.N('mail_toc', '%d. %s' % (i + 1, t)))
        sep = doc.N('mail_chrome', r.choice(['=' * 30, '-' * 40, '*' * 20, '━' * 16]))
        toc = [sep] + toc + [sep]
    body = []
    body.append(annotate(doc, doc.title, False))
    if r.random() < 0.5:
        body.append(doc.N('byline', '来源：%s  %s' % (r.choice(C.SOURCES), doc.date_cn())))
    for x in doc.body:
        body.extend(hard_wrap(annotate(doc, x, False), W))
        if r.random() < 0.85:
            body.append('')
    if r.random() < 0.5:
        body += ['', doc.N('link', '阅读原文：http://www.example-news.cn/n1/%d/%02d%02d/c%d.html' % (doc.y, doc.m, doc.d, r.randint(1000, 99999)))]
    foot = ['', doc.N('mail_chrome', '-' * r.randint(20, 40))] + [doc.N('mail_footer', x.format(list=lst)) for x in r.sample(C.MAIL_FOOT, r.randint(2, 4))]
    core = top + [''] + toc + [''] + body + foot
    out = head + ['']
    if r.random() < 0.5:
        # forwarded or replied: the newsletter is quoted with '> ' (sometimes twice)
        doc.M('mail_quote')
        sender = doc.name()
        out = [doc.N('mail_header', '发件人: %s <%s@example.org>' % (sender, 'u%d' % r.randint(1, 999))),
               doc.N('mail_header', '主题: 转发: [%s] %s' % (lst, PUA_RE.sub('', doc.title))), '',
               doc.N('mail_comment', r.choice(C.MAIL_COMMENTS)), '', doc.N('signature', '-- '), doc.N('signature', sender), '',
               doc.N('mail_header', r.choice(['-------- 转发的邮件 --------', '-----原始邮件-----',
                                              '在 %s 07:30，%s <digest@news.example.cn> 写道：' % (doc.date_cn(), lst)]))]
        depth = r.choice(['> ', '> ', '>> ', '> > '])
        doc.noise.append({'cat': 'quote_marker', 'text': depth})
        out += [(depth + x) if x or r.random() < 0.5 else depth.rstrip() for x in head + [''] + core]
    else:
        out += core
    nl = '\n'
    if r.random() < 0.4:
        doc.M('mail_crlf')
        nl = '\r\n'
    return nl.join(out) + nl, 'text'


def r_pdf2(doc):
    """Newspaper PDF through an extractor other than the one of sample 004:
    hyphen-free wraps (no space, line break only), columns side by side
    (layout mode) or stacked, page headers and footers, jump lines."""
    r = doc.rng
    paper = r.choice(C.PDF_PAPERS)
    page_no = r.randint(1, 20)
    wk = '一二三四五六日'[r.randint(0, 6)]
    hdr = lambda p: doc.N('pdf_header', r.choice(['%d  %s  %s 星期%s  %s' % (p, paper, doc.date_cn(), wk, r.choice(C.SECTIONS)),
                                                  '%s  %s 星期%s  第%d版' % (paper, doc.date_cn(), wk, p),
                                                  '%s %d' % (r.choice(C.SECTIONS), p)]))
    foot = lambda: [doc.N('pdf_footer', x.format(a=doc.name(), b=doc.name(), c=doc.name())) for x in r.sample(C.PDF_EDITORS, r.randint(1, 2))]
    doc.M('pdf_headers')
    W = r.randint(10, 24)
    halfp = r.random() < 0.3
    glyph = r.random() < 0.3
    latin = r.random() < 0.35
    txt = []
    for x in doc.body:
        x = annotate(doc, x, False)
        if latin:
            x = re.sub(r'(?<![\d.])([0-9][0-9.,%]*[0-9%]?|[A-Za-z][A-Za-z\-]*)', r' \1 ', x)
        if glyph:
            x = x.replace('——', r.choice(['--', '一一', '——'])).replace('—', '一')
        if halfp:
            x = x.translate(str.maketrans({'，': ',', '！': '!', '；': ';', '：': ':', '？': '?', '“': '"', '”': '"', '（': '(', '）': ')'}))
        txt.append(x)
    if latin:
        doc.M('pdf_latin_spaces')
    if glyph:
        doc.M('pdf_glyphs')
    if halfp:
        doc.M('pdf_halfwidth_punct')
    ind = r.choice(['\u3000\u3000', '  ', '    ', ''])
    col_lines = []
    for x in txt:
        col_lines += hard_wrap(ind + x, W * 2, kinsoku=True)
    title = annotate(doc, doc.title, False)
    if r.random() < 0.25:
        title = ' '.join(title)
        doc.M('pdf_title_letterspaced')
    mode = r.choices(['layout', 'stream'], [55, 45])[0]
    doc.M('pdf_hardwrap', 'pdf_' + mode)
    caps = [doc.N('pdf_caption', x.format(place=r.choice(C.PLACES), n=doc.name())) for x in r.sample(C.PDF_CAPTIONS, r.randint(0, 3))]
    if caps:
        doc.M('pdf_captions')
    H = r.randint(25, 60)
    out = [hdr(page_no), '']
    out += hard_wrap(title, r.choice([W * 2, W * 4, 200])) + ['']
    if mode == 'stream':
        per_page = H * r.randint(2, 4)
        for pi in range(0, len(col_lines), per_page):
            chunk = col_lines[pi:pi + per_page]
            if caps and r.random() < 0.5:
                chunk.insert(r.randint(0, len(chunk)), caps.pop())
            for y in chunk:
                out.append(y)
                if r.random() < 0.1:
                    out.append('')
            if pi + per_page < len(col_lines):
                page_no2 = page_no + r.randint(1, 8)
                out += [doc.N('pdf_jump', r.choice(['（下转第%d版）', '下转第%d版', '（下转%d版）']) % page_no2), ''] + foot() + \
                       ['', '\f' if r.random() < 0.5 else '', hdr(page_no2), '',
                        doc.N('pdf_jump', r.choice(['（上接第%d版）', '上接第%d版']) % page_no)]
                doc.M('pdf_jump')
        out += caps
    else:
        ncol = r.choice([2, 2, 3])
        gap = ' ' * r.randint(2, 6)
        per_page = H * ncol
        for pi in range(0, len(col_lines), per_page):
            chunk = col_lines[pi:pi + per_page]
            cols = [chunk[i * H:(i + 1) * H] for i in range(ncol)]
            rows = max(len(c) for c in cols)
            for k in range(rows):
                cells = [c[k] if k < len(c) else '' for c in cols]
                row = ''
                for ci, cell in enumerate(cells):
                    if ci < ncol - 1:
                        row += cell + ' ' * max(0, W * 2 - dwidth(cell)) + gap
                    else:
                        row += cell
                out.append(row.rstrip())
            if pi + per_page < len(col_lines):
                page_no2 = page_no + r.randint(1, 8)
                out += [doc.N('pdf_jump', '（下转第%d版）' % page_no2)] + foot() + ['\f', hdr(page_no2), doc.N('pdf_jump', '（上接第%d版）' % page_no)]
                doc.M('pdf_jump')
        out += caps
    out += [''] + foot()
    return '\n'.join(out) + '\n', 'text'


def r_trad(doc):
    r = doc.rng
    site = r.choice(['港聞網', '兩岸資訊網', '華文新聞台', '中評觀察', '海峽時報網', '香港新聞網'])
    doc.M('chrome_nav', 'chrome_share', 'chrome_footer')
    nav = doc.N('nav', ' '.join(r.sample(C.TRAD_NAV, r.randint(5, 10))))
    share = doc.N('share', ' '.join(r.sample(C.TRAD_SHARE, r.randint(3, 6))))
    foot = [doc.N('footer', x) for x in r.sample(C.TRAD_FOOT, r.randint(2, 5))]
    meta = doc.N('byline', '%s %s 來源：%s' % (doc.date_iso(), r.choice(['', '|']), r.choice(['人民日報', '人民網'])))
    rel = [doc.N('teaser', convert_keep_pua(doc.teaser(), doc.trad_cfg)) for _ in range(r.randint(2, 5))]
    if r.random() < 0.65:
        doc.M('html_markup')
        page = '\n'.join(['<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="%s">' % doc.page_enc,
                          '<title>%s | %s</title></head><body>' % (esc(doc, doc.title), site),
                          '<nav>%s</nav>' % esc(doc, nav), '<h1>%s</h1>' % annotate(doc, esc(doc, doc.title), True),
                          '<div class="meta">%s</div>' % esc(doc, meta), '<div class="share">%s</div>' % esc(doc, share),
                          '<div class="article">', body_html(doc), '</div>',
                          '<aside><h3>%s</h3><ul>%s</ul></aside>' % (doc.N('teaser', '相關新聞'), ''.join('<li><a>%s</a></li>' % esc(doc, x) for x in rel)),
                          '<footer>%s</footer>' % '<br>'.join(esc(doc, x) for x in foot), '</body></html>\n'])
        doc.M('teasers')
        return page, 'html'
    lines = [nav, annotate(doc, doc.title, False), meta, share] + [annotate(doc, x, False) for x in doc.body] + [doc.N('teaser', '延伸閱讀')] + rel + foot
    doc.M('teasers')
    return '\n'.join(lines) + '\n', 'text'


def r_charset(doc):
    page = news_page(doc, doc.rng.choice(C.SITES), charset=doc.page_enc)
    if doc.rng.random() < 0.7:
        doc.M('teasers')
    return page, 'html'


RENDER = {'aggregator': r_aggregator, 'rss': r_rss, 'forum': r_forum, 'weibo': r_weibo, 'archive': r_archive,
          'newsletter': r_newsletter, 'pdf2': r_pdf2, 'trad': r_trad, 'charset': r_charset}


# ---------------------------------------------------------------- choosing mechanisms
CHARSET_BY_KIND = {
    'aggregator': [('utf8_as_gbk', 4), ('stray_byte', 3), ('mojibake_entity_encoded', 3)],
    'rss': [('utf8_as_cp1252', 3), ('mojibake_entity_encoded', 3), ('stray_byte', 2), ('utf8_as_gbk', 2)],
    'forum': [('gbk_shift', 5), ('utf8_as_gbk', 3), ('gbk_as_utf8', 2), ('stray_byte', 2)],
    'weibo': [('stray_byte', 3), ('utf8_as_gbk', 3)],
    'archive': [('utf8_as_cp1252', 3), ('gbk_shift', 3), ('utf8_as_gbk', 3), ('mojibake_double', 1)],
    'newsletter': [('utf8_as_cp1252_prewrap', 5), ('stray_byte', 2), ('gbk_shift', 2), ('utf8_as_gbk', 2)],
    'pdf2': [('stray_byte', 3), ('gbk_shift', 3), ('utf8_as_cp1252', 2)],
    'trad': [('pinyin_gbk_bytes', 4), ('gbk_shift', 3), ('utf8_as_gbk', 2)],
    'charset': [('utf8_as_gbk', 22), ('utf8_as_cp1252', 12), ('utf8_as_latin1', 8), ('utf8_as_cp1252_span', 8),
                ('mojibake_double', 5), ('gbk_as_utf8', 13), ('stray_byte', 12), ('gbk_shift', 17)],
}


def wchoice(r, pairs):
    return r.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def plan(doc):
    """Decide the text-level and byte-level mechanisms of one document."""
    r, kind = doc.rng, doc.kind
    # entity style for markup deliveries
    doc.ent = r.choices(['plain', 'named', 'numeric', 'double', 'ncr_all'], [40, 25, 15, 13, 7])[0]
    # traditional script: the trad kind always; HK/TW forums and feeds sometimes
    if kind == 'trad' or (kind in ('forum', 'rss', 'archive', 'weibo') and r.random() < 0.12):
        cfg = r.choices(['s2t', 's2tw', 's2hk', 's2twp'], [20, 35, 30, 15])[0]
        doc.trad_cfg = cfg
        doc.M('trad_' + {'s2t': 'std', 's2tw': 'tw', 's2hk': 'hk', 's2twp': 'twp'}[cfg])
        doc.cv = lambda s, cfg=cfg: convert_keep_pua(s, cfg)
        if r.random() < (0.4 if cfg in ('s2tw', 's2twp', 's2hk') else 0.1):
            doc.M('quotes_corner')
            doc.info['quotes_corner'] = True
    # annotations
    charset = []
    if kind == 'trad' and r.random() < 0.85 or (doc.trad_cfg and r.random() < 0.3):
        if doc.trad_cfg in ('s2tw', 's2twp') and r.random() < 0.6:
            style = r.choice(['zhuyin_paren', 'zhuyin_ruby'])
        else:
            style = r.choices(['pinyin_paren', 'pinyin_ruby', 'pinyin_gbk_bytes'], [40, 25, 35])[0]
        if style == 'pinyin_gbk_bytes':
            charset.append('pinyin_gbk_bytes')
        else:
            doc.ann_plan = (style, r.choices(['paren', 'fw', 'bracket'], [70, 20, 10])[0])
            doc.M('annot_' + style)
    # charset damage: the charset kind always (1-2), others sometimes
    p = 1.0 if kind == 'charset' else (0.6 if kind == 'trad' and charset else 0.25)
    if kind == 'charset' or r.random() < p:
        n = 1 if kind != 'charset' else r.choice((1, 1, 2))
        for _ in range(n):
            m = wchoice(r, CHARSET_BY_KIND[kind])
            if m not in charset:
                charset.append(m)
    if 'pinyin_gbk_bytes' in charset and not doc.trad_cfg:
        charset.remove('pinyin_gbk_bytes')
    # constraints: one page encoding, one whole-page decode
    gbk_page = any(m in charset for m in ('gbk_shift', 'pinyin_gbk_bytes', 'utf8_as_gbk'))
    whole = [m for m in charset if m in ('utf8_as_cp1252', 'utf8_as_latin1', 'mojibake_double')]
    if gbk_page and whole:
        charset = [m for m in charset if m not in whole]
    if gbk_page and 'gbk_as_utf8' in charset:
        charset.remove('gbk_as_utf8')
    if gbk_page and 'stray_byte' in charset:
        charset.remove('stray_byte')
    if len(whole) > 1:
        for m in whole[1:]:
            charset.remove(m)
    doc.charset_plan = charset
    if charset and doc.ent == 'ncr_all':
        doc.ent = 'numeric'   # an all-ASCII page would carry no byte damage at all
    doc.page_enc = 'gbk' if any(m in charset for m in ('gbk_shift', 'pinyin_gbk_bytes', 'utf8_as_gbk')) else 'utf-8'
    return charset


def apply_text_stage(doc, charset):
    """Stage A: sentinels for byte damage, script conversion, text-level mojibake."""
    r = doc.rng
    for m in charset:
        if m == 'utf8_as_gbk':
            add_span(doc, m)
        elif m == 'gbk_as_utf8':
            add_span(doc, m, r.choices(['sentence', 'paragraph'], [60, 40])[0])
        elif m == 'utf8_as_cp1252_span':
            add_span(doc, m, r.choices(['sentence', 'paragraph'], [50, 50])[0])
        elif m in ('utf8_as_cp1252_prewrap', 'mojibake_entity_encoded'):
            add_span(doc, m, r.choices(['paragraph', 'body'], [50, 50])[0])
        elif m == 'stray_byte':
            for _ in range(r.choice((1, 1, 2))):
                add_point(doc, m, r.choice(['insert', 'insert_lead', 'drop', 'replace']))
        elif m == 'gbk_shift':
            for _ in range(r.choice((1, 1, 2, 3))):
                add_point(doc, m, r.choice(['drop', 'insert']))
    ref, pos = ref_and_offsets(doc)
    doc.ref = ref
    for sp in doc.spans:
        sp['ref_start'], sp['ref_end'] = pos[SPAN_S + sp['k']], pos[SPAN_E + sp['k']]
    for pt in doc.points:
        a = pos[POINT + pt['k']]
        m = re.compile(r'[\x00-\x7f]').search(ref, a)
        pt['ref_start'], pt['ref_end'] = a, (m.start() if m else len(ref))
        if pt['mech'] == 'stray_byte':
            pt['ref_end'] = min(pt['ref_end'], a + 1)
    # script
    if doc.trad_cfg:
        doc.lines = [convert_keep_pua(x, doc.trad_cfg) for x in doc.lines]
        if doc.info.get('quotes_corner'):
            tr = str.maketrans({'“': '「', '”': '」', '‘': '『', '’': '』'})
            doc.lines = [x.translate(tr) for x in doc.lines]
    if getattr(doc, 'ann_plan', None):
        setup_annotation(doc, doc.ann_plan[0])
        doc.ann['paren'] = doc.ann_plan[1]
    # text-level mojibake (damaged upstream, before wrapping / escaping)
    for sp in doc.spans:
        if sp['mech'] not in ('utf8_as_cp1252_prewrap', 'mojibake_entity_encoded'):
            continue
        s_ch, e_ch = chr(SPAN_S + sp['k']), chr(SPAN_E + sp['k'])
        for i in sp['lines']:
            ln = doc.lines[i]
            a = ln.index(s_ch) + 1 if s_ch in ln else 0
            b = ln.index(e_ch) if e_ch in ln else len(ln)
            moj = decode_cp1252_whatwg(ln[a:b].encode('utf-8'))
            if sp['mech'] == 'mojibake_entity_encoded':
                moj = ''.join(AMP + html.entities.codepoint2name[ord(c)] + ';' if ord(c) in html.entities.codepoint2name
                              else (AMP + '#%d;' % ord(c) if ord(c) > 127 else c) for c in moj)
            doc.lines[i] = ln[:a] + moj + ln[b:]
        doc.M(sp['mech'])
        sp['done'] = True


# ---------------------------------------------------------------- byte stage
def byte_stage(doc, raw):
    """Stage D: the page as bytes (page encoding, foreign fragments, cut or
    stray bytes, byte-level pinyin insertion) and the crawler's decoding."""
    r = doc.rng
    charset = doc.charset_plan
    raw = raw.replace(AMP, '&')
    gbk_page = any(m in charset for m in ('gbk_shift', 'pinyin_gbk_bytes', 'utf8_as_gbk'))
    page_enc = 'gbk' if gbk_page else 'utf-8'
    enc_err = 'xmlcharrefreplace' if doc.delivery in ('html', 'xml') else 'replace'
    # split raw into pieces: ('t', text) | ('span', k) | ('end', k) | ('pt', k)
    toks = re.split('([\ue100-\ue3ff])', raw)
    spans = {sp['k']: sp for sp in doc.spans}
    points = {pt['k']: pt for pt in doc.points}
    out = bytearray()
    stack = []
    lossy_chars = 0
    for t in toks:
        if not t:
            continue
        o = ord(t[0]) if len(t) == 1 else 0
        if SPAN_S <= o < SPAN_S + 0x100:
            stack.append(spans.get(o - SPAN_S)); continue
        if SPAN_E <= o < SPAN_E + 0x100:
            if stack:
                stack.pop()
            continue
        if POINT <= o < POINT + 0x100:
            pt = points[o - POINT]
            op = pt['op']
            if pt['mech'] == 'gbk_shift':
                # a chunk boundary inside the GBK stream: one byte lost or one doubled
                pt['byte_pos'] = len(out)
                pt['pending'] = op
            else:
                pt['byte_pos'] = len(out)
                pt['pending'] = op
            continue
        sp = stack[-1] if stack else None
        if sp is not None and not sp.get('done'):
            if sp['mech'] == 'utf8_as_gbk':
                b = t.encode('utf-8')
            elif sp['mech'] == 'gbk_as_utf8':
                b = t.encode('gbk', errors=enc_err)
            elif sp['mech'] == 'utf8_as_cp1252_span':
                # a fragment stored already mis-decoded (double-encoded in the CMS)
                b = decode_cp1252_whatwg(t.encode('utf-8')).encode(page_enc, errors=enc_err)
            else:
                b = t.encode(page_enc, errors=enc_err)
            sp.setdefault('byte_ranges', []).append((len(out), len(out) + len(b)))
            out += b
        else:
            out += t.encode(page_enc, errors=enc_err)
    # pending point operations (applied from the end so positions stay valid)
    for pt in sorted(doc.points, key=lambda p: -p.get('byte_pos', 0)):
        if 'byte_pos' not in pt:
            continue
        i = pt['byte_pos']
        op = pt['pending']
        if pt['mech'] == 'gbk_shift':
            if op == 'drop' and i < len(out):
                del out[i]
            else:
                out[i:i] = bytes([r.randint(0x81, 0xFE)])
        else:  # stray byte in a UTF-8 stream
            if op == 'insert':
                out[i:i] = bytes([r.randint(0x80, 0xBF)])
            elif op == 'insert_lead':
                out[i:i] = bytes([r.choice([0xC3, 0xE4, 0xE5, 0xE6, 0xE8, 0xF0, 0xFF, 0xFE])])
            elif op == 'drop' and i < len(out):
                del out[i]
            elif i < len(out):
                out[i] = r.randint(0x80, 0xFF)
        doc.M(pt['mech'])
    # byte-level pinyin annotation on the GBK page (sample 000, step 1)
    if 'pinyin_gbk_bytes' in charset:
        doc.M('annot_pinyin_gbk_bytes')
        common = common_chars(doc, 80)
        chosen = r.sample(common, min(len(common), r.randint(15, 30)))
        doc.info['pinyin_chars'] = ''.join(chosen)
        b = bytes(out)
        for ch in chosen:
            py = pinyin(ch, style=Style.TONE)[0][0]
            try:
                key = ch.encode('gbk')
                b = b.replace(key, key + ('(%s)' % py).encode('gbk'))
            except UnicodeEncodeError:
                pass
        out = bytearray(b)
        # a few bytes inserted between a lead and a trail byte (stream cut and re-joined)
        if r.random() < 0.8:
            doc.M('gbk_inserted_byte')
            body_start = len(out) // 5
            for _ in range(r.randint(2, 5)):
                for _try in range(200):
                    i = r.randrange(body_start, len(out) - 2)
                    if out[i] >= 0x81 and out[i + 1] >= 0x40 and _lead_at(out, i):
                        out[i + 1:i + 1] = bytes([r.choice([0x0A, 0x20, 0x22, 0x30 + r.randint(0, 9), r.randint(0x81, 0xFE)])])
                        break
    # the crawler's decoding
    if page_enc == 'gbk':
        # damage.md: the crawler's GBK decoder is the lenient one (long shifted runs);
        # an HTTP client's codec (errors='replace', resyncs after one byte) reads the
        # pages that carry UTF-8 fragments.
        if 'pinyin_gbk_bytes' in charset or ('utf8_as_gbk' not in charset and r.random() < 0.8):
            doc.gbk_decoder = 'lenient'
            s = lenient_gbk_decode(bytes(out))
            doc.M('gbk_decoder_lenient')
        else:
            doc.gbk_decoder = 'python_replace'
            s, _ = decode_replace_recording(bytes(out), 'gbk')
        for sp in doc.spans:
            if sp['mech'] == 'utf8_as_gbk':
                doc.M('utf8_as_gbk')
                for a, b in sp.get('byte_ranges', []):
                    _, errs = decode_replace_recording(bytes(out[a:b]), 'gbk')
                    seg = bytes(out[a:b]).decode('utf-8', errors='replace')
                    lossy_chars += _chars_hit(seg, errs)
        fold = 'pinyin_gbk_bytes' in charset or r.random() < 0.3
    else:
        whole = [m for m in charset if m in ('utf8_as_cp1252', 'utf8_as_latin1', 'mojibake_double')]
        if whole:
            m = whole[0]
            doc.M(m)
            if m == 'utf8_as_cp1252':
                s = decode_cp1252_whatwg(bytes(out))
            elif m == 'utf8_as_latin1':
                s = bytes(out).decode('latin-1')
            else:
                s = decode_cp1252_whatwg(decode_cp1252_whatwg(bytes(out)).encode('utf-8'))
            doc.spans.append({'k': -1, 'mech': m, 'gran': 'document', 'ref_start': 0, 'ref_end': len(doc.ref), 'lines': []})
        else:
            s, errs = decode_replace_recording(bytes(out), 'utf-8')
            for sp in doc.spans:
                if sp['mech'] == 'gbk_as_utf8':
                    doc.M('gbk_as_utf8')
                    for a, b in sp.get('byte_ranges', []):
                        lossy_chars += sum(1 for c in bytes(out[a:b]).decode('gbk', errors='replace') if ord(c) > 127)
            if errs and any(p['mech'] == 'stray_byte' for p in doc.points):
                lossy_chars += len([e for e in errs if not _in_spans(e, doc.spans)])
        fold = False
    for sp in doc.spans:
        if sp['mech'] in ('utf8_as_cp1252_span', 'gbk_as_utf8', 'utf8_as_gbk'):
            doc.M(sp['mech'])
    if fold:
        s = width_fold(s)
        doc.M('width_fold')
    doc.lossy = lossy_chars
    doc.page_enc = page_enc
    return PUA_RE.sub('', s)


def _lead_at(buf, i):
    """True if position i starts a double-byte GBK character (scan back to ASCII)."""
    j = i
    while j > 0 and buf[j - 1] >= 0x81:
        j -= 1
    return (i - j) % 2 == 0


def _chars_hit(seg, err_ranges):
    """Characters of `seg` (UTF-8) whose bytes overlap a replaced byte range."""
    hit, off = 0, 0
    for c in seg:
        n = len(c.encode('utf-8'))
        if any(a < off + n and off < b for a, b in err_ranges) and ord(c) > 127:
            hit += 1
        off += n
    return hit


def _in_spans(err, spans):
    a, b = err
    return any(x <= a < y for sp in spans for x, y in sp.get('byte_ranges', []))


# ---------------------------------------------------------------- one document
def make_doc(did, rng, kind, art, teasers):
    doc = Doc(did, rng, kind, art, teasers)
    charset = plan(doc)
    apply_text_stage(doc, charset)
    raw, delivery = RENDER[kind](doc)
    doc.delivery = delivery
    if doc.ent != 'plain' and delivery in ('html', 'xml'):
        doc.M('entities_' + doc.ent)
    raw = byte_stage(doc, raw)
    # naive text extraction by the crawler for part of the html pages
    if delivery == 'html' and kind in ('aggregator', 'archive', 'trad', 'charset', 'forum') and rng.random() < 0.35:
        unesc = rng.random() < 0.8
        raw = naive_text(raw, unescape=unesc, keep_comments=rng.random() < 0.3)
        doc.M('text_extracted' if unesc else 'text_extracted_no_unescape')
        delivery = 'text'
    doc.delivery = delivery
    if doc.trad_cfg:
        floor_cfg = {'s2t': 't2s', 's2tw': 'tw2s', 's2hk': 'hk2s', 's2twp': 'tw2sp'}[doc.trad_cfg]
        back = cc(floor_cfg).convert(cc(doc.trad_cfg).convert(doc.ref))
        from rapidfuzz.distance import Levenshtein
        doc.info['trad_roundtrip_diff'] = Levenshtein.distance(re.sub(r'\s+', '', back), re.sub(r'\s+', '', doc.ref))
    return doc, raw


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--n', type=int, default=200)
    a = ap.parse_args()
    rng = random.Random(a.seed * 7919 + 4)
    pool, allrows = load_pool()
    picks = rng.sample(range(len(pool)), a.n)
    kinds = []
    for k, n in zip(KINDS, KIND_SHARE):
        kinds += [k] * n
    while len(kinds) < a.n:
        kinds.append(KINDS[len(kinds) % len(KINDS)])
    kinds = kinds[:a.n]
    rng.shuffle(kinds)
    teaser_titles = [canon_line(r['text'].split('\n')[0]) for r in allrows[:-HOLDOUT_TAIL]]
    teaser_titles = [t for t in teaser_titles if 6 <= len(t) <= 40]
    os.makedirs(os.path.join(a.out, 'docs'), exist_ok=True)
    os.makedirs(os.path.join(a.out, 'ref'), exist_ok=True)
    man = []
    for i, (pi, kind) in enumerate(zip(picks, kinds)):
        art = pool[pi]
        did = 's%d_%03d_%s' % (a.seed, i, kind)
        drng = random.Random('%d/%d' % (a.seed, i))
        own = set(art['lines'])
        teasers = [t for t in drng.sample(teaser_titles, 40) if t not in own]
        doc, raw = make_doc(did, drng, kind, art, teasers)
        with open(os.path.join(a.out, 'docs', did + '.txt'), 'w', encoding='utf-8', newline='') as f:
            f.write(raw)
        with open(os.path.join(a.out, 'ref', did + '.txt'), 'w', encoding='utf-8', newline='') as f:
            f.write(doc.ref + '\n')
        man.append({'id': did, 'source_kind': kind, 'article': art['id'], 'published': art['published'],
                    'delivery': doc.delivery, 'page_encoding': doc.page_enc, 'gbk_decoder': doc.gbk_decoder,
                    'mechanisms': doc.mechs,
                    'damaged_spans': [{k: v for k, v in sp.items() if k in ('mech', 'gran', 'ref_start', 'ref_end')} for sp in doc.spans]
                    + [{'mech': p['mech'], 'op': p['op'], 'ref_start': p['ref_start'], 'ref_end': p['ref_end']} for p in doc.points],
                    'lossy_chars_est': doc.lossy, 'info': doc.info, 'noise': doc.noise,
                    'raw_chars': len(raw), 'ref_chars': len(doc.ref)})
    with open(os.path.join(a.out, 'manifest.jsonl'), 'w', encoding='utf-8') as f:
        for m in man:
            f.write(json.dumps(m, ensure_ascii=False) + '\n')
    from collections import Counter
    mc = Counter(x for m in man for x in m['mechanisms'])
    print('wrote %d docs to %s' % (len(man), a.out))
    print('kinds:', dict(Counter(m['source_kind'] for m in man)))
    print('mechanisms:', dict(sorted(mc.items(), key=lambda x: -x[1])))


if __name__ == '__main__':
    main()
