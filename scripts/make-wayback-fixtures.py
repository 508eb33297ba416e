#!/usr/bin/env python3
"""Build the Wayback Machine fixtures (issue 14).

    python3 scripts/make-wayback-fixtures.py [--check]

Standard library only, deterministic. All content is invented for this
project; the Spaces markup follows shared/docs/spaces-archives.md §2, the
archive's inserts and the downloaders' layouts shared/docs/web-archives.md
§1-§2. It owns every file of these folders:

  testdata/wayback-saved-en/   pages saved by a browser from web.archive.org
      (English): entry 101 captured 2009-03-01 (modern head insert, toolbar
      between its BEGIN/END comments, `wm-ipp-print` with `:80`, `im_` image
      on tkfiles.storage.msn.com, protocol-relative CSS, trailing
      `FILE ARCHIVED ON` comment, comments dated "3 hours ago"); the same
      entry captured 2009-03-15 (older toolbar with `wbCurrentUrl`, one more
      comment, edited body); entry 102 saved "complete" by Chrome (toolbar
      DOM without its comments, `_files/` image, `.js.download`, no trailing
      comment, a root-relative link to entry 101); a redirect capture; the
      picture downloaded separately under its host folder.
  testdata/wayback-hmd-zh/     wayback_machine_downloader trees (zh-CN):
      `hartator/websites/<host>/` (index.html, `blog/cns!…!201.entry`, a
      list page saved as `?…/index.html`) plus the picture host's own tree;
      `fork/websites/<host>/` from the fork (`__q<hash>` names and its
      `.cdx.json`).
  testdata/wayback-pack-pt/    waybackpack (pt-BR): `<timestamp>/<host>/…`
      with two captures of entry 301 (2009, 2010: more comments, edited
      body) and one after Spaces closed (2011-06) that is a redirect.
  testdata/wayback-pywb-de/    pywaybackup (de-DE): `waybackup_snapshots/`
      with `%21` names and its CSV (one row a redirect).
"""

import hashlib
import json
import os
import sys
import urllib.parse

from fixturelib import jpeg_variant

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.path.join(ROOT, "testdata")
OWNED_DIRS = ["wayback-saved-en", "wayback-hmd-zh", "wayback-pack-pt", "wayback-pywb-de"]


def cns(owner, n):
    return f"cns!{owner}!{n}"


def ncr(s):
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in s)


def wb(ts, url, flag=""):
    return f"https://web.archive.org/web/{ts}{flag}/{url}"


def archived_on(ts):
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    y, mo, d, h, mi, s = ts[0:4], int(ts[4:6]), int(ts[6:8]), ts[8:10], ts[10:12], ts[12:14]
    return f"{h}:{mi}:{s} {months[mo - 1]} {d:02d}, {y}"


def head_insert(url, ts):
    """The 2017+ head insert (era c)."""
    return f"""<script src="//archive.org/includes/athena.js" type="text/javascript"></script>
<script type="text/javascript">window.addEventListener('DOMContentLoaded',function(){{var v=archive_analytics.values;v.service='wb';v.server_name='wwwb-app220.us.archive.org';v.server_ms=312;archive_analytics.send_pageview({{}});}});</script>
<script type="text/javascript" src="https://web-static.archive.org/_static/js/bundle-playback.js?v=1B2M2Y8A" charset="utf-8"></script>
<script type="text/javascript" src="https://web-static.archive.org/_static/js/wombat.js?v=1B2M2Y8A" charset="utf-8"></script>
<script type="text/javascript">
  __wm.init("https://web.archive.org/web");
  __wm.wombat("{url}","{ts}","https://web.archive.org/","web","https://web-static.archive.org/_static/",
\t      "1235908800");
</script>
<link rel="stylesheet" type="text/css" href="https://web-static.archive.org/_static/css/banner-styles.css?v=1B2M2Y8A" />
<link rel="stylesheet" type="text/css" href="https://web-static.archive.org/_static/css/iconochive.css?v=1B2M2Y8A" />
<!-- End Wayback Rewrite JS Include -->
"""


def toolbar(url, ts, with_comments=True):
    """The 2017+ toolbar: its text must never reach a post."""
    port = url.replace(".live.com/", ".live.com:80/", 1)
    inner = f"""<script>__wm.rw(0);</script>
<div id="wm-ipp-base" lang="en" style="display:none;direction:ltr;">
<div id="wm-ipp" style="position:fixed;left:0;top:0;right:0;"><div id="wm-ipp-inside"><a href="https://web.archive.org/web/" title="Wayback Machine home page">WAYBACK TOOLBAR TEXT</a>
<div id="wm-nav-captures"><a class="t" href="/web/{ts}*/{url}" title="See a list of every capture for this URL">42 captures</a> <div class="r" title="Timespan for captures of this URL">12 Jan 2008 - 4 Jun 2011</div></div>
<a href="https://archive.org/donate/?origin=wbwww-TopNavDonateButton">DONATE</a>
<a href="/web/20090101000000/{url}" title="1 Jan 2009">JAN</a> <a href="/web/20090401000000/{url}" title="1 Apr 2009">APR</a>
<a id="wm-ipp-close" href="#close">Close</a> <a href="http://faq.web.archive.org/">Help</a></div></div></div>
<div id="wm-ipp-print">The Wayback Machine - https://web.archive.org/web/{ts}/{port}</div>
<script type="text/javascript">//<![CDATA[
__wm.bt(700,27,25,2,"web","{url}","{ts}",1996,"https://web-static.archive.org/_static/",["https://web-static.archive.org/_static/css/banner-styles.css?v=1B2M2Y8A","https://web-static.archive.org/_static/css/iconochive.css?v=1B2M2Y8A"], false);
  __wm.rw(1);
//]]></script>
"""
    if with_comments:
        return f"<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n{inner}<!-- END WAYBACK TOOLBAR INSERT -->\n"
    return inner


def trailer(ts):
    return f"""
<!--
     FILE ARCHIVED ON {archived_on(ts)} AND RETRIEVED FROM THE
     INTERNET ARCHIVE ON 10:11:12 Jan 02, 2026.
     JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET ARCHIVE.

     ALL OTHER CONTENT MAY ALSO BE PROTECTED BY COPYRIGHT (17 U.S.C.
     SECTION 108(a)(3)).
-->
<!--
playback timings (ms):
  captures_list: 0.61
  exclusion.robots: 0.024
  load_resource: 182.3
-->"""


def redirect_page(ts, target):
    return f"""<!DOCTYPE html>
<html lang="en"><head><title>Internet Archive Wayback Machine</title>
<script src="//archive.org/includes/athena.js" type="text/javascript"></script>
<link rel="stylesheet" type="text/css" href="/_static/css/banner-styles.css?v=1B2M2Y8A" /></head>
<body><div id="positionHome"><section><div id="error">
<h2 class="blue">Got an HTTP 302 response at crawl time</h2>
<p class="code">Redirecting to...</p>
<p class="code shift target">{target}</p>
<p class="impatient"><a href="{wb(ts, target)}">Impatient?</a></p>
</div></section></div></body></html>
"""


# --------------------------------------------------------------------------
# wayback-saved-en

EN_OWNER = "D2C0FFEE12345678"
EN_HOST = "demo-space.spaces.live.com"


def en_url(n):
    return f"http://{EN_HOST}/blog/{cns(EN_OWNER, n)}.entry"


def en_entry(n, ts, title, body, date, time, comments, rewrite):
    """A single-entry page of 2010 (cc2 comments); `rewrite` maps an
    address to what the saved page shows."""
    c = cns(EN_OWNER, n)
    cat = rewrite(f"http://{EN_HOST}/?_c11_BlogPart_BlogPart=blogview&_c=BlogPart&partqs=cat%3dTravel%20and%20Holidays")
    out = [f"""<div id="blogPart"><div class="bvEntryPage">
<div id="subj{c}" class="TextColor1"><a href="{rewrite(en_url(n))}">{title}</a></div>
<div id="msg{c}" class="bvMsg">{body}</div>
<span class="bold" id="LastMDate{c}">{date}</span>
<div class="footerLinks">{time} | <a id="blogCategory0" href="{cat}">Travel and Hol</a> | <a id="blogPermalink0" href="{rewrite(en_url(n))}">Permalink</a></div>
<div class="footer"></div></div>
<div id="comments">"""]
    for author, site, text, when in comments:
        out.append(f"""<div class="cc2_cmt"><span class="cc2_dnmmain"><a href="{rewrite(site)}">{author}</a></span><div class="cc2_txt">{text}</div></div><span class="cc2_tsmain"> - {when}</span>""")
    out.append("</div></div>")
    return "\n".join(out)


def en_page(n, ts, title, body, date, time, comments):
    url = en_url(n)
    rw = lambda u: f"/web/{ts}/{u}"  # noqa: E731  root-relative, as the Wayback serves it
    entry = en_entry(n, ts, title, body, date, time, comments, rw)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html lang="en-US" xmlns="http://www.w3.org/1999/xhtml"><head>{head_insert(url, ts)}<title>{title} - Dana's space - Windows Live</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<link href="//web.archive.org/web/{ts}cs_/http://{EN_HOST}/themes/default.css" type="text/css" rel="stylesheet" />
</head>
<body class="spacesBody">{toolbar(url, ts)}
<div id="spaceHeader"><h1 class="TextColor1"><a href="/web/{ts}/http://{EN_HOST}:80/">Dana's space</a></h1></div>
{entry}
<div id="footer">&copy; 2009 Microsoft | <a href="https://web.archive.org/web/{ts}/http://privacy.microsoft.com/en-us/default.mspx">Privacy</a></div>
</body></html>{trailer(ts)}
"""


def en_old_page(n, ts, title, body, date, time, comments):
    """The same entry captured through the 2010-16 toolbar (era b), saved
    as "HTML only": absolute Wayback links, `wbCurrentUrl`."""
    url = en_url(n)
    rw = lambda u: wb(ts, u)  # noqa: E731
    entry = en_entry(n, ts, title, body, date, time, comments, rw)
    return f"""<html lang="en-US"><head>
<script type="text/javascript" src="/static/js/analytics.js"></script>
<script type="text/javascript">archive_analytics.values.server_name="wwwb-app13.us.archive.org";</script>
<link type="text/css" rel="stylesheet" href="/static/css/banner-styles.css"/>
<title>{title} - Dana's space - Windows Live</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" /></head>
<body class="spacesBody">
<!-- BEGIN WAYBACK TOOLBAR INSERT -->
<script type="text/javascript" src="/static/js/disclaim-element.js" ></script>
<script type="text/javascript" src="/static/js/graph-calc.js" ></script>
<script type="text/javascript">//<![CDATA[
var firstDate = 820454400000;
var lastDate = 1420070399999;
var wbPrefix = "/web/";
var wbCurrentUrl = "{url}";
var displayDay = "15";
var displayMonth = "Mar";
var displayYear = "2009";
//]]></script>
<div id="wm-ipp" lang="en" style="display:none;"><div style="position:fixed;left:0;top:0;width:100%!important">
<a href="/web/" title="Wayback Machine home page">WAYBACK TOOLBAR TEXT</a> <a href="/web/{ts}*/{url}">14 captures</a>
<a href="/web/20090301120000/{url}" title="12:00:00 Mar 1, 2009">MAR</a></div></div>
<!-- END WAYBACK TOOLBAR INSERT -->
<div id="spaceHeader"><h1 class="TextColor1"><a href="{wb(ts, 'http://' + EN_HOST + '/')}">Dana's space</a></h1></div>
{entry}
</body></html>
<!--
     FILE ARCHIVED ON {archived_on(ts)} AND RETRIEVED FROM THE
     INTERNET ARCHIVE ON 4:50:26 May 01, 2014.
-->
"""


def en_complete_102():
    """Entry 102 saved "complete" by Chrome: the toolbar's DOM is there
    without its comments, scripts are `.js.download`, the picture is a local
    file, no trailing comment. Its body links to entry 101."""
    ts = "20090301120510"
    url = en_url(102)
    files = "Lake day - Dana's space_files"
    rw = lambda u: wb(ts, u)  # noqa: E731
    body = f"""<p>Back at <a href="/web/{ts}/{en_url(101)}">the lake</a> again, this time with the kayak.</p>
<p><img src="{files}/x1pKayak.jpg" alt="Kayak" border="0"></p>"""
    entry = en_entry(102, ts, "Lake day", body, "3/1/2009", "11:30 AM",
                     [("Sam", "http://sam.example/", "Looks cold!", "1 day ago")], rw)
    return f"""<!DOCTYPE html><html lang="en-US"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<script src="{files}/athena.js.download" type="text/javascript"></script>
<script type="text/javascript" src="{files}/bundle-playback.js.download" charset="utf-8"></script>
<script type="text/javascript" src="{files}/wombat.js.download" charset="utf-8"></script>
<script type="text/javascript">
  __wm.init("https://web.archive.org/web");
  __wm.wombat("{url}","{ts}","https://web.archive.org/","web","https://web-static.archive.org/_static/","1235909110");
</script>
<link rel="stylesheet" type="text/css" href="{files}/banner-styles.css">
<title>Lake day - Dana's space - Windows Live</title></head>
<body class="spacesBody">{toolbar(url, ts, with_comments=False)}
<div id="spaceHeader"><h1 class="TextColor1"><a href="{wb(ts, 'http://' + EN_HOST + '/')}">Dana's space</a></h1></div>
{entry}
</body></html>
"""


def saved_en_files():
    d = "wayback-saved-en/"
    files = {}
    img = wb("20090301120000", "http://tkfiles.storage.msn.com/x1pLakeView.jpg", "im_")
    body1 = f"""<p>Drove up to the lake on Saturday. The ice is finally gone.</p>
<p><a href="{wb('20090301120000', 'http://tkfiles.storage.msn.com/x1pLakeView.jpg')}" target="_blank"><img src="{img}" alt="The lake" border="0"></a></p>"""
    files[d + "saved/Trip notes - Dana's space.html"] = en_page(
        101, "20090301120000", "Trip notes", body1, "2/28/2009", "6:15 PM",
        [("Ann", "http://ann.example/", "Nice!", "3 hours ago"),
         ("Dee", "", "First! (deleted before the next capture)", "5 hours ago"),
         ("Bob", "http://bob.example/", "Which lake?", "45 minutes ago")])
    body1b = body1.replace("20090301120000", "20090315093000").replace(
        "The ice is finally gone.", "The ice is finally gone. (Edited: photos fixed.)")
    files[d + "saved/Trip notes (March 15).html"] = en_old_page(
        101, "20090315093000", "Trip notes", body1b, "2/28/2009", "6:15 PM",
        [("Ann", "http://ann.example/", "Nice!", "Feb. 28"),
         ("Bob", "http://bob.example/", "Which lake?", "Mar. 1"),
         ("Cleo", "http://cleo.example/", "Take me next time.", "2 days ago")])
    files[d + "saved/Lake day - Dana's space.html"] = en_complete_102()
    files[d + "saved/Lake day - Dana's space_files/x1pKayak.jpg"] = jpeg_variant("wayback en kayak")
    files[d + "saved/Lake day - Dana's space_files/wombat.js.download"] = b"/* wombat */\nvar _wb_wombat = {};\n"
    files[d + "saved/redirect capture.html"] = redirect_page(
        "20110601000000", "http://demo-space.wordpress.com/")
    files[d + "tkfiles.storage.msn.com/x1pLakeView.jpg"] = jpeg_variant("wayback en lake")
    return files


# --------------------------------------------------------------------------
# wayback-hmd-zh

ZH_OWNER = "3A7F00C2B5E1D904"
ZH_HOST = "demo-zh.spaces.live.com"


def zh_url(n, query=""):
    return f"http://{ZH_HOST}/blog/{cns(ZH_OWNER, n)}.entry{query}"


ZH_ENTRIES = {
    201: ("春天来了", "计算机与 Internet", "2008/4/12 10:49:29",
          f"""<div>小区里的玉兰花都开了，拍了一张。</div><div><img src="http://tkfiles.storage.msn.com/x1pYulan.jpg" border="0"></div>"""),
    202: ("周末读书", "", "2008/4/20 21:05:11", "<div>这周读完了《围城》，比想象中好看。</div>"),
    203: ("第一篇日志", "", "2008/3/1 8:00:00", "<div>开通空间，写第一篇日志。</div>"),
}


def zh_list_entry(k, n):
    title, cat, date, body = ZH_ENTRIES[n]
    c = cns(ZH_OWNER, n)
    return f"""<div class="bvEntry" id="entry{c}" bv:cns="{c}" bv:ca="true" bv:cat="{cat}">
<h4 class="TextColor1" id="subj{c}"><a href="{zh_url(n)}">{ncr(title)}</a></h4>
<div class="bvMsg" id="msg{c}">{body}</div>
<div class="footerLinks"><nobr>{date}</nobr>&nbsp;| <a href="{zh_url(n)}#post" bvItemType="post">添加评论</a>&nbsp;| <a id="blogPermalink{k}" href="{zh_url(n)}">永久链接</a></div>
<div class="footer"></div></div>"""


def zh_page(inner):
    return f"""<!DOCTYPE html>
<html lang="zh-cn" xmlns:bv="http://spaces.live.com/bv"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>小林的空间 - Windows Live</title></head>
<body class="spacesBody"><div id="spaceHeader"><h1><a href="http://{ZH_HOST}/">小林的空间</a></h1></div>
<div id="blogPart">
{inner}
</div></body></html>
"""


def zh_single_201(comments):
    title, _, date, body = ZH_ENTRIES[201]
    c = cns(ZH_OWNER, 201)
    boxes = "".join(
        f"""<div class="ccCommentBox"><span class="ccName">{ncr(a)}</span><div class="Comment">{t}</div></div><div class="ccDateBox"><span>{d}</span></div>"""
        for a, t, d in comments)
    return zh_page(f"""<div class="bvEntryPage"><h4 class="TextColor1" id="subj{c}"><a href="{zh_url(201)}">{ncr(title)}</a></h4>
<div class="bvMsg" id="msg{c}">{body}</div>
<div class="footerLinks"><nobr>{date}</nobr>&nbsp;| <a id="blogCategory0" href="http://{ZH_HOST}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat%3d%25e8%25ae%25a1%25e7%25ae%2597%25e6%259c%25ba%25e4%25b8%258e%2520Internet">计算机与 Internet</a>&nbsp;| <a href="{zh_url(202)}">下一篇</a></div>
<div class="footer"></div>{boxes}</div>""")


def fork_id(url):
    """The fork's file id (wayback_machine_downloader 2.4.7)."""
    tail = url.split("/", 3)[3] if url.count("/") >= 3 else ""
    raw = tail
    while True:
        dec = urllib.parse.unquote(raw)
        if dec == raw:
            break
        raw = dec
    path, _, query = raw.partition("?")
    if query:
        h = hashlib.sha256(query.encode()).hexdigest()[:12]
        if "." in path:
            pre, _, post = path.rpartition(".")
            path = f"{pre}__q{h}.{post}"
        else:
            path = f"{path}__q{h}"
    return "/".join(p for p in path.split("/") if p)


def hmd_zh_files():
    d = "wayback-hmd-zh/"
    files = {}
    site = d + f"hartator/websites/{ZH_HOST}/"
    files[site + "index.html"] = zh_page(zh_list_entry(0, 202) + "\n" + zh_list_entry(1, 201))
    files[site + f"blog/{cns(ZH_OWNER, 201)}.entry"] = zh_single_201(
        [("小雨", "好漂亮！", "2008/4/12 12:30:00"), ("阿明", "在哪里拍的？", "2008/4/13 9:15:00")])
    nxt = f"?_c11_BlogPart_pagedir=Next&_c11_BlogPart_handle={cns(ZH_OWNER, 201)}&_c=BlogPart"
    files[site + f"{nxt}/index.html"] = zh_page(zh_list_entry(0, 203))
    files[d + "hartator/websites/tkfiles.storage.msn.com/x1pYulan.jpg"] = jpeg_variant("wayback zh yulan")
    # The fork: query hashed into the names, its CDX list kept (--keep).
    fork = d + f"fork/websites/{ZH_HOST}/"
    q202 = zh_url(202, "?_c11_blogpart_blogpart=blogview&_c=blogpart")
    c202 = cns(ZH_OWNER, 202)
    title, _, date, body = ZH_ENTRIES[202]
    files[fork + fork_id(q202)] = zh_page(f"""<div class="bvEntryPage"><h4 class="TextColor1" id="subj{c202}"><a href="{zh_url(202)}">{ncr(title)}</a></h4>
<div class="bvMsg" id="msg{c202}">{body}</div>
<div class="footerLinks"><nobr>{date}</nobr>&nbsp;| <a href="{zh_url(201)}">上一篇</a></div>
<div class="footer"></div><div class="ccCommentBox"><span class="ccName">{ncr("小雨")}</span><div class="Comment">我也喜欢钱钟书。</div></div><div class="ccDateBox"><span>2008/4/21 8:02:00</span></div></div>""")
    home_q = f"http://{ZH_HOST}/?_c11_BlogPart_pagedir=Next&_c11_BlogPart_handle={cns(ZH_OWNER, 201)}&_c=BlogPart"
    files[fork + fork_id(home_q) + "/index.html"] = zh_page(zh_list_entry(0, 203))
    cdx = [["20080425010203", q202], ["20080601000000", q202], ["20080425010500", home_q],
           ["20080425010000", f"http://{ZH_HOST}/"]]
    files[fork + ".cdx.json"] = json.dumps(cdx, indent=2).encode() + b"\n"
    return files


# --------------------------------------------------------------------------
# wayback-pack-pt

PT_OWNER = "8F6A31FABB4CD362"
PT_HOST = "demo-pt.spaces.live.com"


def pt_page(ts, body, comments):
    c = cns(PT_OWNER, 301)
    url = f"http://{PT_HOST}/blog/{c}.entry"
    rw = lambda u: wb(ts, u)  # noqa: E731  waybackpack makes /web/ links absolute
    boxes = "\n".join(
        f"""<div class="cc2_cmt"><span class="cc2_dnmmain"><a href="{rw(s)}">{a}</a></span><div class="cc2_txt">{t}</div></div><span class="cc2_tsmain"> - {w}</span>"""
        for a, s, t, w in comments)
    return f"""<!DOCTYPE html>
<html lang="pt-BR"><head>{head_insert(url, ts)}<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Férias em Floripa - Espaço da Júlia - Windows Live</title></head>
<body class="spacesBody">
<div id="spaceHeader"><h1><a href="{rw('http://' + PT_HOST + '/')}">Espaço da Júlia</a></h1></div>
<div id="blogPart"><div class="bvEntryPage">
<div id="subj{c}" class="TextColor1"><a href="{rw(url)}">Férias em Floripa</a></div>
<div id="msg{c}" class="bvMsg">{body}</div>
<span class="bold" id="LastMDate{c}">20/09/2009</span>
<div class="footerLinks">15:57 | <a id="blogCategory0" href="{rw('http://' + PT_HOST + '/?_c11_BlogPart_BlogPart=blogview&_c=BlogPart&partqs=cat%3dViagens&mkt=pt-br')}">Viagens</a></div>
<div class="footer"></div></div>
{boxes}
</div></body></html>{trailer(ts)}
"""


def pack_pt_files():
    d = "wayback-pack-pt/pack/"
    c = cns(PT_OWNER, 301)
    rel = f"{PT_HOST}/blog/{c}.entry"
    files = {}
    first = [("Marina", "http://marina.example/", "Que inveja!", "Sept. 20")]
    files[d + f"20090921101500/{rel}"] = pt_page(
        "20090921101500", "<p>Uma semana de praia e sol em Florianópolis.</p>", first)
    files[d + f"20100305081000/{rel}"] = pt_page(
        "20100305081000",
        "<p>Uma semana de praia e sol em Florianópolis. Fotos em breve!</p>",
        first + [("Pedro", "http://pedro.example/", "Vamos no ano que vem?", "Sept. 22, 2009")])
    files[d + f"20110601000000/{rel}"] = redirect_page(
        "20110601000000", "http://demo-pt.wordpress.com/2009/09/20/ferias-em-floripa/")
    return files


# --------------------------------------------------------------------------
# wayback-pywb-de

DE_OWNER = "F6A31FABB4CD362"  # 15 hex digits: the CID starts with 0
DE_HOST = "demo-de.spaces.live.com"


def de_entry(n, title, date, time, body, comments):
    c = cns(DE_OWNER, n)
    boxes = "".join(
        f"""<div class="ccCommentBox"><span class="ccName">{a}</span><div class="Comment">{t}</div></div><div class="ccDateBox"><span>{w}</span></div>"""
        for a, t, w in comments)
    return f"""<!DOCTYPE html>
<html lang="de-DE"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title} - Klaus' Space - Windows Live</title></head>
<body class="spacesBody"><div id="spaceHeader"><h1><a href="http://{DE_HOST}/">Klaus' Space</a></h1></div>
<div id="blogPart"><div class="bvEntryPage">
<div id="subj{c}" class="TextColor1"><a href="http://{DE_HOST}/blog/{c}.entry">{title}</a></div>
<div id="msg{c}" class="bvMsg">{body}</div>
<span class="bold" id="LastMDate{c}">{date}</span>
<div class="footerLinks">{time} | <a id="blogPermalink0" href="http://{DE_HOST}/blog/{c}.entry">Permalink</a></div>
<div class="footer"></div>{boxes}</div></div></body></html>
"""


def pyb_name(url):
    """pywaybackup's local name of an address: `%XX` for `: * ? & = < > \\ | # ! ~`."""
    tail = url.split("/", 3)[3]
    out = []
    for ch in tail:
        if ch in ':*?&=<>\\|#!~':
            out.append("%" + format(ord(ch), "02x"))
        else:
            out.append(ch)
    return "".join(out)


def pywb_de_files():
    d = "wayback-pywb-de/waybackup_snapshots/"
    files = {}
    u401 = f"http://{DE_HOST}/blog/{cns(DE_OWNER, 401)}.entry"
    u402 = f"http://{DE_HOST}/blog/{cns(DE_OWNER, 402)}.entry?_c11_blogpart_blogpart=blogview&_c=blogpart"
    u403 = f"http://{DE_HOST}/blog/{cns(DE_OWNER, 403)}.entry"
    files[d + f"{DE_HOST}/{pyb_name(u401)}"] = de_entry(
        401, "Herbst im Schwarzwald", "03.10.2010", "14:20",
        f"""<p>Wanderung von Titisee nach Hinterzarten, das Laub ist schon bunt.</p>
<p>Mehr dazu im <a href="http://{DE_HOST}/blog/{cns(DE_OWNER, 402)}.entry">nächsten Eintrag</a>.</p>""",
        [("Heike", "Schöne Strecke!", "04.10.2010 09:12")])
    files[d + f"{DE_HOST}/{pyb_name(u402)}"] = de_entry(
        402, "Rückweg mit dem Zug", "04.10.2010", "19:05",
        f"""<p>Zurück ging es mit der Höllentalbahn. Siehe auch <a href="http://{DE_HOST}/blog/{cns(DE_OWNER, 401)}.entry">Teil 1</a>.</p>""",
        [])
    rows = [["file", "timestamp", "url_origin", "url_archive", "response", "redirect_url"]]
    home = "/home/klaus/waybackup_snapshots"
    for ts, url in [("20101012083000", u401), ("20101106171500", u402)]:
        rows.append([f"{home}/{DE_HOST}/{pyb_name(url)}", ts, url,
                     f"https://web.archive.org/web/{ts}id_/{url}", "200", ""])
    rows.append(["", "20110720000000", u403, f"https://web.archive.org/web/20110720000000id_/{u403}",
                 "302", "http://login.live.com/login.srf?wa=wsignin1.0"])

    def field(v):
        return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in ',"') else v

    csv = "".join(",".join(field(v) for v in r) + "\r\n" for r in rows)
    files[d + f"waybackup_{DE_HOST}.csv"] = csv.encode()
    return files


# --------------------------------------------------------------------------


def targets():
    files = {}
    for part in (saved_en_files, hmd_zh_files, pack_pt_files, pywb_de_files):
        files.update(part())
    return {k: (v.encode() if isinstance(v, str) else v) for k, v in files.items()}


def on_disk_extras(files):
    extra = []
    for d in OWNED_DIRS:
        for dirpath, _, names in os.walk(os.path.join(TESTDATA, d)):
            for fn in names:
                rel = os.path.relpath(os.path.join(dirpath, fn), TESTDATA).replace(os.sep, "/")
                if rel not in files:
                    extra.append(rel)
    return sorted(extra)


def main(argv):
    check = "--check" in argv[1:]
    files = targets()
    status = 0
    for rel in sorted(files):
        data = files[rel]
        path = os.path.join(TESTDATA, *rel.split("/"))
        if check:
            try:
                with open(path, "rb") as fh:
                    same = fh.read() == data
            except FileNotFoundError:
                same = False
            if not same:
                print(f"testdata/{rel}: DIFFERS")
                status = 1
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
            print(f"wrote testdata/{rel} ({len(data)} bytes)")
    for rel in on_disk_extras(files):
        print(f"testdata/{rel}: not written by this script")
        status |= 1 if check else 0
    if check and status == 0:
        print(f"{len(files)} files up to date")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
