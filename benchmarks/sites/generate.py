"""Damaged news pages as a crawler meets them, made from clean People's Daily articles.

The world it models, from damage.md and from how real Chinese news sites look, written
without reading the pipeline: the last --n articles of People's Daily, February 2019
(../shared/corpora/news/peoples_daily_2019-02.jsonl beside the repository, read in place,
never copied), each republished by one kind of site: a central portal (人民网, 新华网), a
commercial portal (sina, 163, sohu, qq), a government site, a WeChat account, a mobile
page, or the newspaper's PDF edition; with the chrome such sites carry around and inside
the article (navigation, breadcrumbs, meta lines, share bars, captions, related links,
comments, footers, WeChat and app tails, PDF running heads and jumps), delivered as HTML,
as a text dump of a full-text, readability or regex scraper, or as text copied out of a
PDF; and with charset damage (a page or a span read with the wrong decoder), traditional
script, and text damage at crawl-like rates. The other articles of the month supply
related titles. Deterministic per seed: the same seed gives the same pages, byte for byte.

    python benchmarks/sites/generate.py --seed 3 --out DIR [--n 240] [--corpus PATH]

Writes DIR/pages/<id>.html|.txt and DIR/manifest.jsonl (one line a page: kind, how it
was delivered, site charset and the decoder that read it, script, every mechanism
applied, the chrome strings inserted with their category, the paragraphs that carry span
damage, the title lines); prints the number of pages written. DIR is outside the
repository. Needs opencc and pypinyin (dependencies of the project). Measure the pages
with benchmarks/sites/measure.py.
"""
import argparse
import html as htmlmod
import json
import os
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import chrome as C
import damage_lib as D

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "news" / "peoples_daily_2019-02.jsonl"
KINDS = [("central", 0.19), ("commercial", 0.19), ("gov", 0.15), ("wechat", 0.15),
         ("pdf", 0.16), ("mobile", 0.16)]


# ======================================================================== article

def parse_article(rec):
    lines = rec["text"].split("\n")
    k = 0
    while k < len(lines) and not lines[k].startswith("\u3000"):
        k += 1
    title_lines = [l.strip() for l in lines[:k] if l.strip()]
    paras = [l.strip(" \u3000") for l in lines[k:]]
    paras = [p for p in paras if p.strip(" \u3000\xa0")]
    return title_lines, paras


def main_title(tl):
    """(main title, intro line above it, subtitle below it)"""
    if not tl:
        return "", "", ""
    if len(tl) == 1:
        return tl[0], "", ""
    if tl[1].startswith("——"):
        return tl[0], "", tl[1]
    return tl[1], tl[0], ""


class Ctx:
    def __init__(self, rng, rec, others):
        self.rng = rng
        self.rec = rec
        self.id = rec["id"]
        self.title_lines, self.paras = parse_article(rec)
        self.title, self.intro, self.sub = main_title(self.title_lines)
        self.others = others
        self.chrome = []          # [category, visible text]
        self.mechs = []
        self.span_paras = {}      # paragraph index -> mechanism
        y, m, d = rec["published"].split("-")
        self.y, self.m, self.d = int(y), int(m), int(d)
        import datetime
        self.wd = datetime.date(self.y, self.m, self.d).weekday()

    # --- helpers
    def name(self):
        r = self.rng
        return r.choice(C.SURNAMES) + "".join(r.choice(C.GIVEN) for _ in range(r.choice([1, 2, 2])))

    def ch(self, cat, text):
        self.chrome.append([cat, text])
        return text

    def other_titles(self, n):
        return [t for t, _ in self.rng.sample(self.others, n)]

    def other_para(self):
        t, ps = self.rng.choice(self.others)
        return self.rng.choice(ps) if ps else t

    def date(self, fmt="-"):
        if fmt == "cn":
            return "%d年%02d月%02d日" % (self.y, self.m, self.d)
        return "%d-%02d-%02d" % (self.y, self.m, self.d)

    def time(self):
        return "%02d:%02d" % (self.rng.randint(5, 23), self.rng.randint(0, 59))

    def clause(self):
        """a short phrase of the article, as captions and comments quote it"""
        p = self.rng.choice(self.paras)
        parts = [x for x in re.split("[，。；：！？]", p) if 6 <= len(x) <= 28]
        return self.rng.choice(parts) if parts else p[:20]


# ======================================================================== HTML helpers

ENT = {"“": "&ldquo;", "”": "&rdquo;", "‘": "&lsquo;", "’": "&rsquo;", "—": "&mdash;",
       "…": "&hellip;", "·": "&middot;", "\xa0": "&nbsp;"}
NUMENT = {"“": "&#8220;", "”": "&#8221;", "—": "&#8212;", "…": "&#8230;", "·": "&#183;"}


def esc(t, ctx, ent_style=None):
    t = htmlmod.escape(t, quote=False)
    if ent_style == "named":
        t = "".join(ENT.get(c, c) for c in t)
    elif ent_style == "numeric":
        t = "".join(NUMENT.get(c, c) for c in t).replace("\xa0", "&#160;")
    else:
        t = t.replace("\xa0", "&nbsp;")
    return t.replace("\x02", "<").replace("\x03", ">")


def is_subhead(p):
    return len(p) <= 26 and not re.search("[。！？；，”]$", p)


def render_body(ctx, paras, style, ent_style, captions=(), inline=None):
    """paras -> HTML; captions: list of (index, html) inserted before paragraph index."""
    rng = ctx.rng
    cap = dict(captions)
    out = []
    for i, p in enumerate(paras):
        if i in cap:
            out.append(cap[i])
        if inline and i == inline[0]:
            out.append(inline[1])
        t = esc(p, ctx, ent_style)
        if style == "word":
            t = re.sub(r"(<[^>]*>|&[#\w]+;)|([0-9A-Za-z.%]+)",
                       lambda m: m.group(1) or '<span lang="EN-US">%s</span>' % m.group(2), t)
            out.append('<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt;'
                       'mso-line-height-rule:exactly"><span style="font-size:16.0pt;'
                       'font-family:仿宋_GB2312">%s<span lang="EN-US"><o:p></o:p></span></span></p>' % t)
        elif style == "wechat":
            # editors split runs into many spans, at arbitrary points
            cuts = sorted(rng.sample(range(1, max(2, len(t))), min(len(t) - 1, rng.randint(0, 3)))) if len(t) > 8 else []
            pieces, a = [], 0
            for c in cuts:
                if "&" in t[max(0, c - 8):c] or "<" in t[max(0, c - 40):c]:
                    continue
                pieces.append(t[a:c]); a = c
            pieces.append(t[a:])
            spans = "".join('<span style="font-size: 15px;letter-spacing: 1px;color: rgb(62, 62, 62);">%s</span>' % x for x in pieces)
            out.append('<p style="margin-bottom: 15px;line-height: 1.75em;text-align: justify;">%s</p>' % spans)
        elif is_subhead(p) and rng.random() < 0.6:
            out.append("<p><strong>%s</strong></p>" % t)
        elif style == "p_fw":
            out.append("<p>\u3000\u3000%s</p>" % t)
        elif style == "p_indent":
            out.append('<p style="text-indent: 2em;">%s</p>' % t)
        elif style == "p_nbsp":
            out.append("<p>&nbsp;&nbsp;&nbsp;&nbsp;%s</p>" % t)
        elif style == "br":
            out.append("\u3000\u3000%s<br />\n<br />" % t)
        else:
            out.append("<p>%s</p>" % t)
        if rng.random() < 0.03:
            out.append("<p>&nbsp;</p>")
    return "\n".join(out)


def caption_html(ctx, cat="caption"):
    r = ctx.rng
    c = ctx.clause()
    agency = r.choice(["新华社记者 %s 摄", "本报记者 %s摄", "%s 摄", "（%s 摄）", "人民视觉", "新华社发", "视觉中国供图",
                       "资料图片"])
    credit = agency % ctx.name() if "%s" in agency else agency
    text = r.choice(["图为%s。%s" % (c, credit), "%s。%s" % (c, credit), "▲ %s" % c, "%s（资料图）" % c])
    ctx.ch(cat, text)
    img = '<img src="/NMediaFile/%d/%02d%02d/MAIN%d%06d.jpg" width="600" border="0" alt="" />' % (
        ctx.y, ctx.m, ctx.d, r.randrange(10 ** 9), r.randrange(10 ** 6))
    return ('<p style="text-align: center;">%s</p>\n<p style="text-align: center;" class="pic-desc">%s</p>'
            % (img, htmlmod.escape(text, quote=False)))


def head(ctx, title_text, charset, extra=""):
    r = ctx.rng
    desc = htmlmod.escape("".join(ctx.paras)[:r.randint(60, 120)], quote=True)
    ld = json.dumps({"@context": "https://ziyuan.baidu.com/contexts/cambrian.jsonld",
                     "title": ctx.title, "description": "".join(ctx.paras)[:100],
                     "pubDate": "%sT%s:00" % (ctx.date(), ctx.time())}, ensure_ascii=False)
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=%s\" />\n"
            "<title>%s</title>\n<meta name=\"description\" content=\"%s\" />\n"
            "<meta name=\"publishdate\" content=\"%s\" />\n%s"
            "<link rel=\"stylesheet\" href=\"/css/article.css\" />\n"
            "<script type=\"application/ld+json\">%s</script>\n"
            "<script>var _hmt = _hmt || [];(function(){var hm = document.createElement(\"script\");"
            "hm.src = \"https://hm.baidu.com/hm.js?%032x\";var s = document.getElementsByTagName(\"script\")[0];"
            "s.parentNode.insertBefore(hm, s);})();</script>\n"
            "<style>.pic-desc{color:#666;font-size:14px}.hide{display:none}</style>\n</head>\n"
            % (charset, htmlmod.escape(title_text, quote=False), desc, ctx.date(), extra, ld, r.getrandbits(128)))


def ul(ctx, cat, items, cls="list"):
    for it in items:
        ctx.ch(cat, it)
    return '<ul class="%s">\n%s\n</ul>' % (cls, "\n".join(
        '<li><a href="/n1/%d/%02d%02d/c%d-%d.html" target="_blank">%s</a></li>'
        % (ctx.y, ctx.m, ctx.d, ctx.rng.randrange(10 ** 4, 10 ** 6), ctx.rng.randrange(10 ** 7, 10 ** 8),
           htmlmod.escape(it, quote=False)) for it in items))


def div(cls, inner):
    return '<div class="%s">%s</div>' % (cls, inner)


def txt(ctx, cat, text, tag="div", cls=None):
    ctx.ch(cat, text)
    c = ' class="%s"' % cls if cls else ""
    return "<%s%s>%s</%s>" % (tag, c, htmlmod.escape(text, quote=False).replace("\n", "<br/>"), tag)


# ======================================================================== page kinds

def build_central(ctx, paras, enc):
    r = ctx.rng
    xinhua = r.random() < 0.4
    sec = r.choice(C.SECTIONS_WEB)
    site = "新华网" if xinhua else "人民网"
    t_title = "%s-%s" % (ctx.title, site) if xinhua else "%s--%s--%s" % (ctx.title, sec, site)
    body = [head(ctx, t_title, enc), '<body>']
    chans = r.sample(C.CENTRAL_CHANNELS, r.randint(10, 20))
    top = [txt(ctx, "nav", "%s首页" % site, "a"),
           txt(ctx, "nav", r.choice(["登录 | 注册", "手机版", "%s客户端" % ("新华社" if xinhua else "人民日报"),
                                     "订阅 | 邮箱 | 地方站", "繁體 | 简体"]), "span")]
    top += [txt(ctx, "nav", c, "a") for c in chans]
    body.append(div("top-nav", "\n".join(top)))
    crumb = r.choice(["%s >> %s >> 正文" % (site, sec), "当前位置：%s > %s > 正文" % (site, sec),
                      "%s > > %s > 正文" % (site, sec), "首页 > %s频道 > 滚动新闻" % sec])
    body.append(txt(ctx, "breadcrumb", crumb, "div", "path"))
    art = ['<div class="text_title">']
    if ctx.intro:
        art.append("<h3 class=\"pre\">%s</h3>" % htmlmod.escape(ctx.intro, quote=False))
    art.append("<h1>%s</h1>" % htmlmod.escape(ctx.title, quote=False))
    if ctx.sub:
        art.append("<h4 class=\"sub\">%s</h4>" % htmlmod.escape(ctx.sub, quote=False))
    src = r.choice(["来源：人民网－人民日报", "来源：人民日报", "来源：新华网", "来源： 人民日报",
                    "来源：《人民日报》"])
    if xinhua:
        meta = "%s %s:%02d　%s" % (ctx.date(), ctx.time(), r.randint(0, 59), src)
    else:
        meta = "%s%s  %s" % (ctx.date("cn"), ctx.time(), src)
    art.append(txt(ctx, "meta", meta, "div", "box01"))
    if r.random() < 0.7:
        art.append(txt(ctx, "share", r.choice(C.SHARE_BARS), "div", "share"))
    if r.random() < 0.4:
        art.append(txt(ctx, "fontsize", r.choice(["小字号", "【字体：大 中 小】", "字号 默认 大 超大"]), "div", "fs"))
    art.append("</div>")
    caps = [(r.randrange(0, max(1, len(paras))), caption_html(ctx))] if r.random() < 0.35 else []
    inline = None
    if r.random() < 0.2 and len(paras) > 4:
        hdr = r.choice(["相关报道", "延伸阅读", "链接"])
        ctx.ch("inline_related", hdr)
        inline = (r.randrange(2, len(paras)), '<div class="rel"><b>%s</b>%s</div>' % (hdr, ul(ctx, "inline_related", ctx.other_titles(2))))
    style = r.choice(["p_fw", "p_fw", "p_indent", "p_nbsp", "plain"])
    ent = r.choice([None, None, None, "named", "numeric"])
    if ent:
        ctx.mechs.append("html_entities_" + ent)
    art.append('<div class="rm_txt_con cf" id="rwb_zw" data-gen3="content">\n<!-- 正文开始 -->\n%s' %
               render_body(ctx, paras, style, ent, caps, inline))
    if xinhua:
        art.append(txt(ctx, "editor", "【责任编辑:%s 】" % ctx.name(), "div", "p-jc"))
    else:
        art.append(txt(ctx, "editor", r.choice(["（责编：%s、%s）", "(责编：%s、%s)", "责任编辑：%s %s"]) % (ctx.name(), ctx.name()),
                       "div", "edit"))
    art.append("<!-- 正文结束 --></div>")
    body.append(div("text_con", "\n".join(art)))
    if r.random() < 0.5:
        body.append(txt(ctx, "share", r.choice(["点赞", "分享让更多人看到", "扫一扫 手机看文章", "下载客户端"]), "div", "zan"))
    for hdr, n in [("相关新闻", r.randint(3, 6)), ("热点排行", r.randint(5, 10)), ("推荐阅读", r.randint(3, 6))]:
        if r.random() < 0.75:
            body.append(div("box", txt(ctx, "related", hdr, "h2") + ul(ctx, "related", ctx.other_titles(n))))
    foot = r.choice(["关于我们 | 网站声明 | 广告服务 | 联系我们 | 招聘信息 | 网站地图 | 留言反馈",
                     "%s简介 | 关于%s | 招聘英才 | 广告服务 | 合作加盟 | 供稿服务 | 网站律师 | 信息保护 | 联系我们" % (site, site)])
    body.append(txt(ctx, "footer", foot, "div", "foot"))
    cp = (r.choice(["新华网版权所有，未经协议授权，禁止下载使用", "Copyright © 2000-%d XINHUANET.com All rights reserved."]) if xinhua
          else r.choice(["%s版权所有，未经书面授权禁止使用" % site, "Copyright © 1997-%d by www.people.com.cn. all rights reserved"]))
    if "%d" in cp:
        cp = cp % ctx.y
    body.append(txt(ctx, "copyright", cp, "div", "copyright"))
    body.append(txt(ctx, "copyright", "京ICP证%06d号 | 京公网安备%d号 | 互联网新闻信息服务许可证%d" %
                    (r.randrange(10 ** 6), r.randrange(10 ** 13, 10 ** 14), r.randrange(10 ** 10, 10 ** 11)), "div", "icp"))
    body.append("</body>\n</html>\n")
    return "\n".join(body)


def build_commercial(ctx, paras, enc):
    r = ctx.rng
    site = r.choice(["sina", "163", "sohu", "qq"])
    cname = {"sina": "新浪", "163": "网易", "sohu": "搜狐", "qq": "腾讯"}[site]
    h1 = ctx.title
    if r.random() < 0.2:
        h1 = "人民日报：" + ctx.title
    elif r.random() < 0.15:
        h1 = ctx.title.split("（")[0] + r.choice(["", "！", "，一文读懂"])
    t_title = {"sina": "%s_新闻_新浪网", "163": "%s_网易新闻", "sohu": "%s_搜狐新闻", "qq": "%s_腾讯新闻"}[site] % h1
    body = [head(ctx, t_title, enc), "<body>"]
    if h1 != ctx.title:
        ctx.ch("retitle", h1)
    body.append(div("top", "\n".join(txt(ctx, "nav", c, "a") for c in r.sample(C.COMMERCIAL_CHANNELS, r.randint(10, 18)))
                    + txt(ctx, "nav", r.choice(["登录", "登录 | 注册", "%s通行证" % cname]), "span")))
    crumb = {"sina": "新浪新闻 > 国内新闻 > 正文", "163": "网易首页 > 新闻中心 > 国内新闻 > 正文",
             "sohu": "搜狐 > 新闻 > 正文", "qq": "腾讯网 > 新闻 > 时政"}[site]
    body.append(txt(ctx, "breadcrumb", crumb, "div", "crumb"))
    body.append("<h1 class=\"main-title\">%s</h1>" % htmlmod.escape(h1, quote=False))
    if ctx.sub and r.random() < 0.5:
        body.append("<h2 class=\"sub-title\">%s</h2>" % htmlmod.escape(ctx.sub, quote=False))
    ncom, npart = r.randint(0, 3000), r.randint(10, 90000)
    meta = r.choice(["%s %s:%02d　来源: 人民日报" % (ctx.date(), ctx.time(), r.randint(0, 59)),
                     "%s %s 人民日报" % (ctx.date("cn"), ctx.time()),
                     "%s %s 来源：人民日报 作者：%s" % (ctx.date(), ctx.time(), ctx.name())])
    body.append(txt(ctx, "meta", meta, "div", "date-source"))
    body.append(txt(ctx, "report", "举报", "a"))
    body.append(txt(ctx, "comment_count", r.choice(["%d人参与 %d条评论" % (npart, ncom), "跟贴 %d 参与 %d" % (ncom, npart),
                                                    "评论(%d)" % ncom, "%d 条评论" % ncom]), "span", "cmt"))
    if r.random() < 0.5:
        body.append(txt(ctx, "app_banner", r.choice(C.APP_BANNERS).replace("客户端", "%s新闻客户端" % cname, 1), "div", "app"))
    content = []
    if r.random() < 0.3:
        content.append(txt(ctx, "summary", "摘要：" + re.split("[。！？]", paras[0])[0] + "。", "div", "summary"))
    if h1 != ctx.title or r.random() < 0.4:
        content.append(txt(ctx, "orig_title", "原标题：%s" % ctx.title, "p"))
    caps = [(r.randrange(0, len(paras)), caption_html(ctx))] if r.random() < 0.35 else []
    inline = None
    if r.random() < 0.3 and len(paras) > 3:
        ad = r.choice(C.AD_LINES)
        inline = (r.randrange(1, len(paras)), txt(ctx, "ad", ad, "div", "ad"))
    ent = r.choice([None, None, "named"])
    if ent:
        ctx.mechs.append("html_entities_" + ent)
    content.append(render_body(ctx, paras, r.choice(["plain", "p_fw", "p_indent"]), ent, caps, inline))
    if r.random() < 0.2:
        content.append(txt(ctx, "orig_title", "（原标题：%s）" % ctx.title, "p"))
    ed = ctx.name()
    tail = {"sina": ["责任编辑：%s SN%03d" % (ed, r.randrange(1000))],
            "163": ["本文来源：人民日报 责任编辑：%s_NE%04d" % (ed, r.randrange(10000))],
            "sohu": ["返回搜狐，查看更多", "责任编辑：",
                     "声明：该文观点仅代表作者本人，搜狐号系信息发布平台，搜狐仅提供信息存储空间服务。"],
            "qq": ["责任编辑：%s" % ed, "免责声明：本文来自腾讯新闻客户端自媒体，不代表腾讯网的观点和立场。"]}[site]
    content += [txt(ctx, "editor", x, "p") for x in tail]
    body.append('<div class="article" id="artibody" data-gen3="content">\n%s\n</div>' % "\n".join(content))
    body.append(txt(ctx, "report", r.choice(["举报", "投诉", "举报 | 收藏"]), "div"))
    for hdr in r.sample(["相关阅读", "热门推荐", "猜你喜欢", "24小时热文", "大家都在看"], r.randint(1, 3)):
        items = ctx.other_titles(r.randint(3, 7))
        if hdr in ("热门推荐", "猜你喜欢") and r.random() < 0.6:
            items = ["%s %d评" % (t, r.randint(1, 9999)) if r.random() < 0.5 else t for t in items]
        body.append(div("rec", txt(ctx, "related", hdr, "h3") + ul(ctx, "related", items)))
    if r.random() < 0.75:
        cm = [txt(ctx, "comments", r.choice(["热门跟贴", "网友评论", "最新评论", "热门评论"]), "h3")]
        for _ in range(r.randint(2, 8)):
            nick = r.choice(C.WECHAT_NICKS + ["手机用户%d" % r.randrange(10 ** 9)])
            user = ("%s网友 [%s]" % (r.choice(C.NETEASE_REGIONS), nick) if site == "163" else nick)
            text = r.choice(C.COMMENTS) if r.random() < 0.75 else "“%s”，%s" % (ctx.clause(), r.choice(["说得太好了", "这句话我赞同", "深有同感"]))
            cm.append('<div class="cmt">%s<span class="time">%s %s</span>%s%s</div>' % (
                txt(ctx, "comments", user, "span", "user"), ctx.date(), ctx.time(),
                txt(ctx, "comments", text, "p"),
                txt(ctx, "comments", r.choice(["顶(%d) 回复 举报", "赞(%d) | 回复", "%d 回复 分享", "[%d] 顶 踩"]) % r.randint(0, 999), "span")))
        cm.append(txt(ctx, "comments", r.choice(["查看全部%d条评论 >" % ncom, "文明上网，登录发贴",
                                                 "网友评论仅供其表达个人看法，并不表明%s立场。" % cname]), "div"))
        body.append(div("comments", "\n".join(cm)))
    comp = {"sina": "SINA Corporation", "163": "NetEase Inc.", "sohu": "Sohu.com", "qq": "Tencent"}[site]
    body.append(txt(ctx, "footer", "违法和不良信息举报电话：%d 举报邮箱：jubao@%s.com" % (r.randrange(10 ** 9, 10 ** 10), site), "div"))
    body.append(txt(ctx, "copyright", "Copyright © 1997-%d %s, All Rights Reserved" % (ctx.y, comp), "div"))
    body.append(txt(ctx, "copyright", "%s公司 版权所有" % cname, "div"))
    body.append("</body>\n</html>\n")
    return "\n".join(body)


def build_gov(ctx, paras, enc):
    r = ctx.rng
    abbr, place, slug = r.choice(C.PLACES)
    t_title = r.choice(["%s_%s人民政府门户网站", "%s-%s政府网", "%s - 媒体看%s"]) % (ctx.title, place)
    body = [head(ctx, t_title, enc), "<body>"]
    body.append(txt(ctx, "gov_header", "%s人民政府门户网站" % place, "div", "logo"))
    body.append(txt(ctx, "gov_header", "今天是：%d年%d月%d日 星期%s" % (ctx.y, ctx.m, ctx.d, C.WEEKDAYS[ctx.wd]), "span"))
    body.append(txt(ctx, "gov_header", r.choice(["简体版 | 繁體版 | 读屏专用 | 移动版", "简体 | 繁體 | English",
                                                 "政务微博 | 政务微信 | 手机版"]), "div"))
    body.append(txt(ctx, "gov_header", "搜索", "button"))
    body.append(div("nav", "\n".join(txt(ctx, "nav", x.format(place=place), "a") for x in r.sample(C.GOV_NAV, r.randint(6, 10)))))
    body.append(txt(ctx, "breadcrumb", r.choice(["当前位置：首页 > 新闻中心 > 媒体看%s" % place[:2],
                                                 "您现在的位置：首页 > 政务公开 > 要闻动态",
                                                 "首页 > 政务公开 > 工作动态 > 媒体报道"]), "div", "crumb"))
    if r.random() < 0.6:
        rows = [("索引号：", "%d%s/%d-%05d" % (r.randrange(10 ** 11), r.choice(["MB", "XC", "00"]), ctx.y, r.randrange(10 ** 5))),
                ("分类：", r.choice(["综合政务\\其他", "国民经济管理、国有资产监管\\其他", "新闻动态"])),
                ("发布机构：", "%s人民政府办公室" % place), ("成文日期：", ctx.date()),
                ("名称：", ctx.title), ("文号：", ""), ("发布日期：", ctx.date()),
                ("主题词：", "")]
        cells = []
        for k, v in rows:
            ctx.ch("gov_info_table", k)
            if v and k != "名称：":
                ctx.ch("gov_info_table", v)
            if k == "名称：":
                ctx.ch("title_dup", v)
            cells.append("<tr><td class=\"t1\">%s</td><td>%s</td></tr>" % (k, htmlmod.escape(v, quote=False)))
        body.append('<table class="xxgk_table" border="0" cellspacing="0">%s</table>' % "".join(cells))
    h1 = htmlmod.escape(ctx.title, quote=False)
    if len(ctx.title) > 16 and r.random() < 0.3:
        cut = len(ctx.title) // 2
        h1 = htmlmod.escape(ctx.title[:cut]) + "<br/>" + htmlmod.escape(ctx.title[cut:])
    art = ['<div class="article" data-gen3="content">']
    if ctx.intro:
        art.append("<div class=\"subtitle\">%s</div>" % htmlmod.escape(ctx.intro, quote=False))
    art.append('<h1 class="title">%s</h1>' % h1)
    if ctx.sub:
        art.append("<div class=\"subtitle\">%s</div>" % htmlmod.escape(ctx.sub, quote=False))
    art.append(txt(ctx, "meta", r.choice(["发布时间：%s %s  来源：人民日报  浏览次数：%d",
                                           "时间：%s %s　信息来源：人民日报　点击数：%d",
                                           "发布日期：%s %s 来源：人民日报 阅读：%d次"]) % (ctx.date(), ctx.time(), r.randint(30, 9000)), "div", "info"))
    art.append(txt(ctx, "fontsize", r.choice(["【字号：大 中 小】", "字号：[ 大 中 小 ]", "【字体：大 中 小】", "字号 大 中 小"]), "div", "fs"))
    style = r.choice(["word", "word", "p_fw", "p_indent", "br"])
    ent = r.choice([None, "named", "named"]) if style == "word" else r.choice([None, None, "named"])
    if ent:
        ctx.mechs.append("html_entities_" + ent)
    if style == "word":
        ctx.mechs.append("word_paste_markup")
        art.append("<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->")
    caps = [(r.randrange(0, len(paras)), caption_html(ctx))] if r.random() < 0.2 else []
    art.append(render_body(ctx, paras, style, ent, caps))
    art.append("</div>")
    body.append("\n".join(art))
    body.append(txt(ctx, "print_close", r.choice(["【打印本页】 【关闭窗口】", "[打印] [关闭]", "打印本页 | 关闭窗口",
                                                  "【打印】【关闭】【我要纠错】"]), "div", "tools"))
    if r.random() < 0.6:
        body.append(txt(ctx, "share", r.choice(["分享到：", "扫一扫在手机打开当前页", "扫一扫在手机上查看当前页面"]), "div"))
    if r.random() < 0.6:
        a, b = ctx.other_titles(2)
        body.append(txt(ctx, "related", "上一篇：%s" % a, "div") + txt(ctx, "related", "下一篇：%s" % b, "div"))
    if r.random() < 0.4:
        body.append(div("links", txt(ctx, "related", "相关链接", "h4") + ul(ctx, "related", ctx.other_titles(r.randint(2, 4)))))
    body.append(txt(ctx, "footer", "网站地图 | 联系我们 | 隐私声明 | 使用帮助", "div"))
    body.append(txt(ctx, "footer", "主办：%s人民政府办公室　承办：%s政务服务数据管理局" % (place, place), "div"))
    body.append(txt(ctx, "footer", "网站标识码：%d　%sICP备%08d号　%s公网安备 %d号" % (
        r.randrange(10 ** 9, 10 ** 10), abbr, r.randrange(10 ** 8), abbr, r.randrange(10 ** 13, 10 ** 14)), "div"))
    if r.random() < 0.5:
        body.append(txt(ctx, "footer", "建议使用IE9及以上版本浏览器或1366×768分辨率浏览本网站", "div"))
    body.append("</body>\n</html>\n")
    return "\n".join(body)


def build_wechat(ctx, paras, enc):
    r = ctx.rng
    acct, wxid = r.choice(C.WECHAT_ACCOUNTS)
    body = [head(ctx, ctx.title, "utf-8", '<meta property="og:title" content="%s" />\n' % htmlmod.escape(ctx.title)),
            '<body id="activity-detail" class="zh_CN mm_appmsg">', '<div id="img-content" class="rich_media_wrp">']
    body.append('<h2 class="rich_media_title" id="activity-name">\n            %s\n</h2>' % htmlmod.escape(ctx.title, quote=False))
    meta = []
    if r.random() < 0.5:
        meta.append(txt(ctx, "wechat_header", "原创", "span"))
    meta.append(txt(ctx, "wechat_header", r.choice([ctx.name(), acct, "%s君" % acct[:2]]), "span"))
    meta.append(txt(ctx, "wechat_header", acct, "a"))
    meta.append(txt(ctx, "wechat_header", r.choice([ctx.date(), "%d月%d日" % (ctx.m, ctx.d), "今天", "昨天"]), "em"))
    body.append('<div id="meta_content">%s</div>' % " ".join(meta))
    if r.random() < 0.3:
        body.append(txt(ctx, "wechat_header", "%s\n微信号 %s\n功能介绍 %s" % (acct, wxid, r.choice(
            ["参与、沟通、记录时代。", "权威发布，深度解读。", "有料、有趣、有态度"])), "div", "profile_inner"))
    content = []
    if r.random() < 0.6:
        content.append(txt(ctx, "wechat_header", r.choice(C.WECHAT_TOP).format(acct=acct), "section"))
    if r.random() < 0.3:
        content.append(txt(ctx, "wechat_header", "（本文约%d字，阅读需要%d分钟）" % (len("".join(paras)) // 100 * 100 + 100, max(1, len("".join(paras)) // 500)), "p"))
    caps = []
    if r.random() < 0.4:
        c = r.choice(["▲图片来源：视觉中国", "图源：网络", "（图片来自网络）", "▲资料图"])
        ctx.ch("caption", c)
        caps = [(r.randrange(0, len(paras)), '<p style="text-align:center"><img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/%x/640?wx_fmt=jpeg" /></p><p><span style="font-size:12px;color:#888">%s</span></p>' % (r.getrandbits(64), c))]
    content.append(render_body(ctx, paras, "wechat", r.choice([None, "named"]), caps))
    tail = [r.choice(["来源：%s（ID：%s）" % (acct, wxid), "本文来源：%s微信公众号" % acct, "来源 | 人民日报",
                      "来源：人民日报、%s综合" % acct])]
    tail.append(r.choice(["编辑：%s" % ctx.name(), "编辑：%s　责编：%s" % (ctx.name(), ctx.name()),
                          "文字编辑：%s 校对：%s 监制：%s" % (ctx.name(), ctx.name(), ctx.name())]))
    for x in tail:
        content.append(txt(ctx, "wechat_footer", x, "p"))
    if r.random() < 0.7:
        content.append(txt(ctx, "related", r.choice(["▼ 推荐阅读 ▼", "推荐阅读", "往期精彩", "▼ 更多精彩 ▼"]), "p"))
        for t in ctx.other_titles(r.randint(2, 4)):
            content.append(txt(ctx, "related", r.choice(["%s", "● %s", "%s ↓"]) % t, "p"))
    for x in r.sample(C.WECHAT_END[:13], r.randint(2, 5)):
        content.append(txt(ctx, "wechat_footer", x.format(acct=acct), "p"))
    body.append('<div class="rich_media_content" id="js_content" style="visibility: hidden;" data-gen3="content">\n%s\n</div>' % "\n".join(content))
    tools = [txt(ctx, "wechat_footer", "阅读原文", "a"),
             txt(ctx, "wechat_footer", "阅读 %s" % r.choice(["10万+", str(r.randint(300, 99999))]), "span"),
             txt(ctx, "wechat_footer", "在看 %d" % r.randint(3, 9999), "span"),
             txt(ctx, "wechat_footer", "赞 %d" % r.randint(3, 9999), "span")]
    body.append('<div class="rich_media_tool">%s</div>' % " ".join(tools))
    if r.random() < 0.6:
        cm = [txt(ctx, "comments", "精选留言", "div"), txt(ctx, "comments", "写留言", "a")]
        for _ in range(r.randint(2, 7)):
            cm.append(txt(ctx, "comments", r.choice(C.WECHAT_NICKS), "strong"))
            cm.append(txt(ctx, "comments", str(r.randint(1, 3000)), "span"))
            cm.append(txt(ctx, "comments", r.choice(C.COMMENTS), "p"))
            if r.random() < 0.15:
                cm.append(txt(ctx, "comments", "作者回复\n谢谢支持！", "div"))
        body.append('<div id="js_cmt_area">%s</div>' % "\n".join(cm))
    for x in r.sample(C.WECHAT_END[13:], r.randint(2, 6)):
        body.append(txt(ctx, "wechat_footer", x, "div"))
    body.append("</div></body>\n</html>\n")
    return "\n".join(body)


def short_title(ctx):
    t = re.sub("[（(].*?[）)]$", "", ctx.title)
    parts = re.split("[，：　 ]", t)
    if len(t) > 14 and len(parts) > 1:
        t = max(parts, key=len)
    if len(t) > 16:
        t = t[:14] + "…"
    return t


def build_mobile(ctx, paras, enc):
    r = ctx.rng
    site = r.choice(["人民网", "人民日报", "新浪新闻", "网易新闻", "凤凰网", "澎湃新闻"])
    st = short_title(ctx)
    body = [head(ctx, ctx.title, enc, '<meta name="viewport" content="width=device-width,initial-scale=1" />\n'
                 '<meta name="shortTitle" content="%s" />\n' % htmlmod.escape(st)), "<body>"]
    body.append(div("m-top", txt(ctx, "nav", site, "span") + txt(ctx, "app_banner", r.choice(["打开APP", "下载客户端", "APP内打开"]), "a")))
    if st != ctx.title:
        ctx.ch("mobile_short_title", st)
    body.append('<h1 class="m-title">%s</h1>' % htmlmod.escape(st if r.random() < 0.7 else ctx.title, quote=False))
    body.append(txt(ctx, "meta", "%s %s %s" % (site, "%02d-%02d %s" % (ctx.m, ctx.d, ctx.time()),
                                               r.choice(["", "阅读 %d" % r.randint(100, 99999), "%d万阅读" % r.randint(1, 90)])), "div", "m-info"))
    k = r.randint(1, max(1, min(4, len(paras) - 1))) if len(paras) > 2 else len(paras)
    ent = r.choice([None, None, "named"])
    if ent:
        ctx.mechs.append("html_entities_" + ent)
    caps = [(r.randrange(0, len(paras)), caption_html(ctx))] if r.random() < 0.25 else []
    vis = render_body(ctx, paras[:k], "plain", ent, [c for c in caps if c[0] < k])
    hid = render_body(ctx, paras[k:], "plain", ent, [(c[0] - k, c[1]) for c in caps if c[0] >= k])
    body.append('<div class="m-content" data-gen3="content">%s\n<div class="hide-content" style="display:none">%s</div></div>' % (vis, hid))
    for x in r.sample(C.MOBILE_TAILS, r.randint(1, 3)):
        body.append(txt(ctx, "mobile_expand", x, "div", "unfold"))
    if r.random() < 0.7:
        items = ["%s %s %d评" % (t, r.choice(["人民网", "新华社", "央视新闻", ""]), r.randint(0, 999)) for t in ctx.other_titles(r.randint(3, 6))]
        body.append(div("m-rel", txt(ctx, "related", r.choice(["相关推荐", "为你推荐", "热门推荐"]), "h3") + ul(ctx, "related", items)))
    if r.random() < 0.5:
        cm = [txt(ctx, "comments", r.choice(["热门评论", "最新评论"]), "h3")]
        for _ in range(r.randint(1, 4)):
            cm.append(txt(ctx, "comments", r.choice(C.WECHAT_NICKS), "span"))
            cm.append(txt(ctx, "comments", r.choice(C.COMMENTS), "p"))
        cm.append(txt(ctx, "comments", r.choice(["我也说两句", "去APP查看更多评论", "写评论..."]), "div"))
        body.append(div("m-cmt", "\n".join(cm)))
    body.append(txt(ctx, "footer", r.choice(["回到顶部 | 电脑版 | 客户端", "电脑版　客户端　回到顶部", "首页 | 电脑版 | 意见反馈"]), "div"))
    body.append(txt(ctx, "copyright", "© 1997-%d %s" % (ctx.y, site), "div"))
    body.append("</body>\n</html>\n")
    return "\n".join(body)


# ------------------------------------------------------------------------ PDF edition

def wrap(s, width, rng):
    """cut s into lines of `width` CJK cells (ASCII counts half); cuts may fall inside
    numbers and words, as a PDF column does"""
    lines, cur, w = [], [], 0.0
    for ch in s:
        cw = 0.5 if ord(ch) < 0x2000 else 1.0
        if w + cw > width and cur:
            # keep closing punctuation on the line (kinsoku), usually
            if ch in "，。、；：？！）”》" and rng.random() < 0.9:
                cur.append(ch)
                lines.append("".join(cur)); cur, w = [], 0.0
                continue
            lines.append("".join(cur)); cur, w = [], 0.0
        cur.append(ch)
        w += cw
    if cur:
        lines.append("".join(cur))
    return lines


def build_pdf(ctx, paras):
    r = ctx.rng
    page_no = r.randint(1, 16)
    sec = r.choice(C.PDF_SECTIONS)
    w = r.randint(10, 24)
    join = r.choice(["nl", "nl", "space", "space_nl"])
    indent = r.choice(["", "  ", "\u3000\u3000", " "])
    sep = r.choice(["\n", "\n\n"]) if join != "space" else "\n\n"
    latin_space = r.random() < 0.5
    markdown = r.random() < 0.15
    ctx.mechs.append("pdf_wrap_" + join)
    if latin_space:
        ctx.mechs.append("pdf_latin_spacing")
    if markdown:
        ctx.mechs.append("pdf_markdown_extractor")

    def running_head(pno):
        forms = [["人民日报", "%d年%d月%d日 星期%s" % (ctx.y, ctx.m, ctx.d, C.WEEKDAYS[ctx.wd]), sec, "%d" % pno],
                 ["%d年%d月%d日　星期%s" % (ctx.y, ctx.m, ctx.d, C.WEEKDAYS[ctx.wd]), "第 %d 版" % pno, sec],
                 ["%02d" % pno, "%s" % sec, "人 民 日 报", "%d年%d月%d日" % (ctx.y, ctx.m, ctx.d)],
                 ["人民日报 %d年%d月%d日 星期%s 第%s版 %s" % (ctx.y, ctx.m, ctx.d, C.WEEKDAYS[ctx.wd], C.CN_NUM[pno], sec)]]
        f = r.choice(forms)
        if r.random() < 0.5:
            f = f + ["责编：%s %s" % (ctx.name(), ctx.name())]
        for x in f:
            ctx.ch("pdf_running_head", x)
        return f

    out = []
    if r.random() < 0.85:
        out += running_head(page_no) + [""]
    # titles: big type, sometimes letter-spaced
    for t in ctx.title_lines:
        if r.random() < 0.25:
            t = " ".join(t)
        tl = wrap(t, max(w, 14), r) if len(t) > 20 else [t]
        out += [("# " + x if markdown else x) for x in tl]
    out.append("")
    byline = None
    if r.random() < 0.4:
        byline = r.choice(["本报记者  %s", "本报记者 %s %s", "□ 本报记者 %s", "新华社记者 %s"])
        byline = byline % tuple(ctx.name() for _ in range(byline.count("%s")))
        out += [ctx.ch("pdf_byline", byline), ""]
    body_lines = []
    cap_at = r.randrange(len(paras)) if r.random() < 0.5 else -1
    side_at = r.randrange(len(paras)) if r.random() < 0.3 and len(paras) > 2 else -1
    jump_at = (r.randint(len(paras) // 3, max(len(paras) // 3, 2 * len(paras) // 3))
               if sum(map(len, paras)) > 1000 and r.random() < 0.6 and len(paras) > 3 else -1)
    line_budget = r.randint(50, 140)
    nlines = 0
    for i, p in enumerate(paras):
        if i == jump_at:
            to = r.randint(page_no + 1, page_no + 6)
            j = r.choice(["（下转第%s版）" % C.CN_NUM[to], "（下转第 %d 版）" % to, "（下转%s版）" % C.CN_NUM[to]])
            body_lines += [ctx.ch("pdf_jump", j), ""]
            body_lines += running_head(to) + [""]
            j2 = r.choice(["（上接第%s版）" % C.CN_NUM[page_no], "（上接第 %d 版）" % page_no])
            body_lines += [ctx.ch("pdf_jump", j2)]
            ctx.mechs.append("pdf_jump")
        if i == cap_at:
            c = r.choice(["图①：%s。  本报记者 %s摄", "%s。  %s摄", "图为%s。  新华社记者 %s 摄",
                          "制图：%s", "数据来源：%s", "本版图片均由%s提供"])
            c = c % ((ctx.clause(), ctx.name()) if c.count("%s") == 2 else (ctx.name(),))
            body_lines += [""] + wrap(ctx.ch("pdf_caption", c), w, r) + [""]
            ctx.mechs.append("pdf_caption")
        if i == side_at:
            sp = ctx.other_para()[:r.randint(40, 160)]
            for x in wrap(sp, r.randint(8, 12), r):
                body_lines += [ctx.ch("pdf_sidebar", x), ""]
            ctx.mechs.append("pdf_sidebar")
        if latin_space:
            p = re.sub(r"\s*([0-9A-Za-z][0-9A-Za-z.%/:+-]*)\s*", r" \1 ", p).strip()
        if r.random() < 0.1:
            p = re.sub(r"(\d)\.(\d)", r"\1. \2", p)
        lines = wrap(p, w, r)
        if lines:
            lines[0] = indent + lines[0]
        if markdown and is_subhead(p):
            lines = ["**%s**" % "".join(lines).strip()]
        if join == "nl":
            body_lines.append("\n".join(lines))
        elif join == "space":
            body_lines.append(" ".join(lines))
        else:
            body_lines.append(" \n".join(lines))
        nlines += len(lines)
        if nlines > line_budget and i < len(paras) - 1 and i + 1 != jump_at:
            # page break inside the article: running foot of this page, head of next
            nlines = 0
            page_no += 1
            body_lines += ([""] + (["---"] if markdown else []) + [ctx.ch("pdf_running_head", "%d" % (page_no - 1))]
                           + [""] + running_head(page_no) + [""])
            ctx.mechs.append("pdf_page_break")
    out.append(sep.join(x for x in body_lines if x is not None) if join != "space" else "\n\n".join(body_lines))
    if r.random() < 0.7:
        out += ["", ctx.ch("pdf_editor", r.choice(["本版责编：%s  %s  %s" % (ctx.name(), ctx.name(), ctx.name()),
                                                   "版式设计：%s" % ctx.name(),
                                                   "本版责编：%s %s 版式设计：%s" % (ctx.name(), ctx.name(), ctx.name())]))]
    s = "\n".join(out) + "\n"
    mechs = []
    s = D.pdf_glyphs(s, r, mechs)
    ctx.mechs += mechs
    return s


# ======================================================================== text extraction (the scraper's)

BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section", "ul", "ol", "table", "title",
         "header", "footer", "article", "h5", "blockquote"}


class TextExtractor(HTMLParser):
    def __init__(self, region_only=False):
        super().__init__(convert_charrefs=True)
        self.out, self.skip, self.region_only = [], 0, region_only
        self.depth = 0          # depth inside the content region
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript"):
            self.skip += 1
        if tag == "head":
            self.in_head = True
        if self.depth:
            if tag == "div" or tag == "section":
                self.depth += 1
        elif dict(attrs).get("data-gen3") == "content":
            self.depth = 1
        if tag in BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript"):
            self.skip = max(0, self.skip - 1)
        if tag == "head":
            self.in_head = False
        if self.depth and tag in ("div", "section"):
            self.depth -= 1
        if tag in BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if self.skip or self.in_head:
            return
        if self.region_only and not self.depth:
            return
        self.out.append(data)


def extract_text(page_html, mode, rng):
    if mode in ("fulltext", "readability"):
        ex = TextExtractor(region_only=(mode == "readability"))
        ex.feed(page_html)
        t = "".join(ex.out)
    else:  # a regex scraper: strips tags, leaves entities, sometimes keeps scripts and comments
        t = page_html
        t = re.sub(r"(?is)<head>.*?</head>", "", t)
        if rng.random() < 0.85:
            t = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", "", t)
        if rng.random() < 0.7:
            t = re.sub(r"(?s)<!--.*?-->", "", t)
        t = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</h\d>", "\n", t)
        t = re.sub(r"<[^>\n]+>", "", t)
    lines = [l.strip(" \t\r") for l in t.split("\n")]
    out, blank = [], False
    for l in lines:
        if l:
            out.append(l)
            blank = False
        elif not blank:
            out.append("")
            blank = True
    return "\n".join(out).strip() + "\n"


def leave_debris(t, rng, mechs):
    """text from a CMS export / careless extractor: entities and stray tags in lines"""
    if rng.random() < 0.6:
        t = "".join(ENT.get(c, c) if rng.random() < 0.7 else c for c in t) if rng.random() < 0.5 else \
            "".join(NUMENT.get(c, c) for c in t).replace("\xa0", "&nbsp;")
        mechs.append("text_entities")
    if rng.random() < 0.2:
        t = re.sub("&(ldquo|rdquo|nbsp|mdash|hellip);", r"&amp;\1;", t)
        mechs.append("double_escaped_entities")
    if rng.random() < 0.5:
        lines = t.split("\n")
        for _ in range(rng.randint(2, 8)):
            i = rng.randrange(len(lines))
            tag = rng.choice(["<br>", "<br/>", "</p>", "<p>", "<strong>", "</strong>", "<span style=\"font-family:宋体\">",
                              "</span>", "<!-- 正文 -->", "<p style=\"text-indent:2em\">", "<img src=\"/pic/%d.jpg\">" % rng.randrange(999)])
            pos = rng.choice([0, len(lines[i])])
            lines[i] = lines[i][:pos] + tag + lines[i][pos:]
        t = "\n".join(lines)
        mechs.append("text_tags")
    return t


# ======================================================================== byte-level damage

MARK = "\x01"
SPAN_A, SPAN_B = "\x04", "\x05"


def place_marks(paras, rng, n):
    """put MARK before a CJK character inside n paragraphs (where a byte will be lost or added)"""
    idx = []
    for _ in range(n):
        i = rng.randrange(len(paras))
        p = paras[i]
        pos = [j for j in range(2, len(p) - 2) if "\u4e00" <= p[j] <= "\u9fff"]
        if pos:
            j = rng.choice(pos)
            paras[i] = p[:j] + MARK + p[j:]
            idx.append(i)
    return idx


def byte_shift(b: bytes, rng) -> bytes:
    out = bytearray()
    parts = b.split(MARK.encode())
    out += parts[0]
    for part in parts[1:]:
        if rng.random() < 0.5 and part:
            out += part[1:]                                # a byte lost
        else:
            out += bytes([rng.randrange(0x81, 0xFF)]) + part  # a byte added
    return bytes(out)


def stray_bytes(b: bytes, rng) -> bytes:
    out = bytearray()
    parts = b.split(MARK.encode())
    out += parts[0]
    for part in parts[1:]:
        r = rng.random()
        if r < 0.4:
            out += bytes([rng.choice([0xFF, 0xFE, 0xC0, 0x80, 0xA0])]) + part   # stray byte
        elif r < 0.7 and len(part) >= 3:
            out += part[:2] + part[3:]                                              # a cut character
        else:
            out += part[:1] + b"\r\n" + part[1:]                                    # stream re-joined inside a character
    return bytes(out)


# ======================================================================== main per page

def choose(rng, table):
    x = rng.random()
    acc = 0.0
    for k, p in table:
        acc += p
        if x < acc:
            return k
    return table[-1][0]


def make_page(ctx, kind):
    r = ctx.rng
    paras = list(ctx.paras)
    mechs = ctx.mechs
    delivery = "pdf" if kind == "pdf" else choose(r, [("html", 0.62), ("text:fulltext", 0.16),
                                                      ("text:readability", 0.1), ("text:regex", 0.12)])
    if kind == "wechat" and delivery == "text:regex":
        delivery = "text:fulltext"
    # ---- site properties
    trad = None
    if kind in ("central", "commercial", "mobile", "wechat", "gov") and r.random() < 0.13:
        trad = r.choice(["tw", "hk"])
    if kind == "gov" and not trad:
        enc = choose(r, [("utf-8", 0.5), ("gbk", 0.35), ("gb2312", 0.15)])
    elif kind == "central" and not trad:
        enc = choose(r, [("utf-8", 0.6), ("gbk", 0.2), ("gb2312", 0.2)])
    elif kind == "pdf":
        enc = "utf-8"
    elif trad:
        enc = choose(r, [("utf-8", 0.45), ("big5", 0.25), ("gbk", 0.3)])
    else:
        enc = choose(r, [("utf-8", 0.85), ("gbk", 0.15)]) if kind != "wechat" else "utf-8"
    # ---- charset damage choice
    if kind == "pdf":
        cs = choose(r, [(None, 0.94), ("utf8_as_gbk", 0.06)])
    elif enc == "utf-8":
        cs = choose(r, [(None, 0.72), ("utf8_as_gbk", 0.06), ("utf8_as_gbk_span", 0.07), ("utf8_as_cp1252", 0.06),
                        ("utf8_as_cp1252_span", 0.05), ("stray_byte", 0.04)])
    elif enc == "big5":
        cs = choose(r, [(None, 0.7), ("big5_as_gbk", 0.3)])
    else:
        cs = (choose(r, [(None, 0.4), ("gbk_as_latin1", 0.1), ("gbk_byte_shift", 0.1), ("pinyin_gbk_bytes", 0.4)]) if trad
              else choose(r, [(None, 0.62), ("gbk_as_latin1", 0.14), ("gbk_byte_shift", 0.16)]))
    # ---- text-level damage to the body (what the CMS / editor put in)
    if kind != "pdf":
        if r.random() < 0.12:
            allp = r.random() < 0.5
            letters = r.random() < 0.5
            paras = [D.fullwidth(p, letters) if (allp or r.random() < 0.4) else p for p in paras]
            mechs.append("fullwidth_digits")
        if r.random() < (0.7 if kind == "wechat" else 0.12):
            rate = r.choice([0.003, 0.01, 0.03])
            paras = [D.sprinkle_invisibles(p, rate, r) for p in paras]
            mechs.append("zero_width")
        if r.random() < (0.4 if kind in ("wechat", "gov") else 0.15):
            paras = [D.nbsp_damage(p, r) for p in paras]
            mechs.append("nbsp")
        if cs != "pinyin_gbk_bytes" and r.random() < 0.05:
            chars = set(D.choose_pinyin_chars("".join(paras), r))
            style = r.choice(["paren", "fwparen", "num"] + (["ruby", "ruby"] if delivery == "html" else []))
            paras = [D.pinyin_text(p, chars, style) for p in paras]
            mechs.append("pinyin_" + style)
        if trad and r.random() < 0.6:
            paras = [D.corner_quotes(p) for p in paras]
            mechs.append("corner_quotes")
        if cs in ("utf8_as_gbk_span", "utf8_as_cp1252_span"):
            # mark the spans now; the mojibake is made on the finished page (after any
            # script conversion), from the bytes of what the page holds there
            n = r.randint(1, 3)
            for i in r.sample(range(len(paras)), min(n, len(paras))):
                a, b = D.pick_span(paras[i], r)
                paras[i] = paras[i][:a] + SPAN_A + paras[i][a:b] + SPAN_B + paras[i][b:]
                ctx.span_paras[i] = cs
    marks = []
    if cs in ("gbk_byte_shift", "stray_byte"):
        marks = place_marks(paras, r, r.randint(1, 3))
        for i in marks:
            ctx.span_paras[i] = cs
    # ---- build
    if kind == "pdf":
        page = build_pdf(ctx, paras)
    else:
        builder = {"central": build_central, "commercial": build_commercial, "gov": build_gov,
                   "wechat": build_wechat, "mobile": build_mobile}[kind]
        page = builder(ctx, paras, enc if enc != "big5" else "big5")
        if trad:
            page = D.to_traditional(page, trad, r)
            mechs.append("traditional_" + trad)
    # ---- bytes and the scraper's decoding
    how = None
    if cs == "utf8_as_gbk":
        page, how = D.wrong_gbk(page.encode("utf-8"), r)
    elif cs == "utf8_as_cp1252":
        page, how = D.wrong_latin(page.encode("utf-8"), r)
    elif cs == "gbk_as_latin1":
        page, how = D.wrong_latin(page.encode("gbk", "xmlcharrefreplace"), r)
    elif cs == "big5_as_gbk":
        page, how = D.wrong_gbk(page.encode("big5", "xmlcharrefreplace"), r)
    elif cs == "gbk_byte_shift":
        b = byte_shift(page.encode("gbk", "xmlcharrefreplace"), r)
        if r.random() < 0.5:
            page, how = D.decode_gbk_lenient(b), "gbk-lenient"
        else:
            page, how = b.decode("gbk", "replace"), "gbk-replace"
    elif cs == "stray_byte":
        page, how = stray_bytes(page.encode("utf-8"), r).decode("utf-8", "replace"), "utf-8-replace"
    elif cs == "pinyin_gbk_bytes":
        chars = D.choose_pinyin_chars(page, r, (10, 30))
        page, how = D.decode_gbk_lenient(D.pinyin_gbk_bytes(page.encode("gbk", "xmlcharrefreplace"), chars)), "gbk-lenient"
        if r.random() < 0.5:
            page = D.fold_fullwidth_ascii(page)
            mechs.append("width_fold")
    if cs in ("utf8_as_gbk_span", "utf8_as_cp1252_span"):
        hows = []

        def moj(m):
            bad, h = (D.wrong_gbk if "gbk" in cs else D.wrong_latin)(m.group(1).encode("utf-8"), r)
            hows.append(h)
            return bad
        page = re.sub(SPAN_A + "(.*?)" + SPAN_B, moj, page, flags=re.S)
        how = ",".join(sorted(set(hows)))
    page = page.replace(MARK, "").replace(SPAN_A, "").replace(SPAN_B, "")
    if cs:
        mechs.append(cs)
    # ---- hand-over
    if delivery.startswith("text:"):
        page = extract_text(page, delivery.split(":")[1], r)
        if delivery == "text:regex":
            page = leave_debris(page, r, mechs)
        elif r.random() < 0.2:
            page = page.replace("\xa0", " ")
            mechs.append("nbsp_to_space")
    elif delivery == "html" and r.random() < 0.08:
        page = re.sub("&(ldquo|rdquo|nbsp|mdash|hellip|lsquo|rsquo);", r"&amp;\1;", page)
        mechs.append("double_escaped_entities")
    return page, delivery, enc, how, trad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=240)
    ap.add_argument("--corpus", default=CORPUS)
    a = ap.parse_args()
    if not os.path.exists(a.corpus):
        ap.error("no corpus at %s (give --corpus)" % a.corpus)
    recs = [json.loads(l) for l in open(a.corpus, encoding="utf-8")]
    clean, pool = recs[-a.n:], recs[:-a.n]
    others = []
    for rec in pool:
        tl, ps = parse_article(rec)
        if tl:
            others.append((main_title(tl)[0], ps[:3]))
    rng = random.Random(a.seed)
    kinds = []
    for k, p in KINDS:
        kinds += [k] * round(p * len(clean))
    while len(kinds) < len(clean):
        kinds.append("central")
    kinds = kinds[:len(clean)]
    rng.shuffle(kinds)
    os.makedirs(os.path.join(a.out, "pages"), exist_ok=True)
    with open(os.path.join(a.out, "manifest.jsonl"), "w", encoding="utf-8") as mf:
        for rec, kind in zip(clean, kinds):
            ctx = Ctx(random.Random("%d/%s" % (a.seed, rec["id"])), rec, others)
            page, delivery, enc, how, trad = make_page(ctx, kind)
            mk = "html" if delivery == "html" else "text"
            fn = "%s.%s" % (rec["id"], "html" if mk == "html" else "txt")
            with open(os.path.join(a.out, "pages", fn), "w", encoding="utf-8", newline="") as f:
                f.write(page)
            mf.write(json.dumps({"id": rec["id"], "file": "pages/" + fn, "kind": kind, "delivery": delivery,
                                 "markup_kind": mk, "site_encoding": enc, "decoder": how, "script": trad or "simplified",
                                 "mechanisms": sorted(set(ctx.mechs)), "span_paras": ctx.span_paras,
                                 "title_lines": ctx.title_lines,
                                 "chrome": [[c, re.sub("[\x01\x04\x05]", "", t)] for c, t in ctx.chrome]}, ensure_ascii=False) + "\n")
    print("wrote %d pages to %s" % (len(clean), a.out))


if __name__ == "__main__":
    main()
