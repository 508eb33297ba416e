#!/usr/bin/env python3
"""Build the layout / language / encoding fixtures that need exact bytes.

    python3 scripts/make-layout-fixtures.py [--check]

Standard library only, deterministic (running it twice gives byte-identical
files). All content is invented for this project; the markup follows the
Spaces DOM markers of shared/docs/spaces-archives.md (sections 2 and 6).

It owns every file of these folders except their expected.json:

  testdata/save-page-complete/   IE "Save as, Web page complete" (B4): a GBK
      page with a gb2312 meta (zh-CN single entry, date `4月14日` without a
      year, time `15:42`), its `_files` folder (image, css, js), and a second
      saved page of the neighbouring entry in UTF-8 with a BOM and CRLF.
  testdata/zh-tw-big5/           a zh-TW list page (3 entries, `yyyy/M/d tt
      hh:mm:ss` dates) in Big5 bytes under a stale gb2312 meta.
  testdata/ja-sjis/              two ja-JP single-entry pages in Shift_JIS
      with a correct meta (`2008/05/03` and `2008年5月17日` dates).
  testdata/de-pt-dates/          one space: a de-DE list page in
      windows-1252 with no charset declared, and two pt-BR entry pages in
      UTF-8 (`28/09/2010` decides day-first; `03/04/2009` is 3 April).

and these zips (expectations beside them as NAME.expected.json):

  testdata/cp437-names.zip       western Windows zip, flag bit 11 clear,
      names in CP437 bytes (`Blog/Café résumé.html`, é = 0x82).
  testdata/utf8-flag-names.zip   flag bit 11 set, Japanese UTF-8 names.

The zip structure is written by fixturelib.raw_zip (local headers, central directory,
end record) for exact control of the flag bit and the name bytes.

With --check nothing is written: everything is rebuilt in memory and
compared with the files on disk, and files in the owned folders that the
script would not write are reported (exit 1 on any difference).

Images are the backup fixture's tiny real JPEG with a COM segment that
makes each copy distinct (as scripts/make-media-fixture.py does).
"""

import os
import sys

from fixturelib import jpeg_variant, raw_zip

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.path.join(ROOT, "testdata")

OWNER = "D2C0FFEE12345678"
CID = -3260324732243519880  # 0xD2C0FFEE12345678 as a signed 64-bit integer
HOST = "demo-space.spaces.live.com"

OWNED_DIRS = ["save-page-complete", "zh-tw-big5", "ja-sjis", "de-pt-dates"]
KEEP = {"expected.json"}


def cns(n):
    return f"cns!{OWNER}!{n}"


def ncr(s):
    """Numeric character references for non-ASCII, as Spaces wrote titles."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in s)


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def jpeg(seed):
    return jpeg_variant(f"spaces2wxr layout fixture {seed}")


def saved_from(url):
    """IE's "mark of the web" comment: the URL length in 4 digits."""
    return f"<!-- saved from url=({len(url):04d}){url} -->"


# --------------------------------------------------------------------------
# B4: IE "Save as, Web page complete", zh-CN, GBK


def save_page_601():
    url = f"http://{HOST}/blog/{cns(601)}.entry"
    cat = "%25e7%2594%259f%25e6%25b4%25bb"  # 生活, percent-encoded twice
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
{saved_from(url)}
<HTML lang=zh-cn dir=ltr xmlns="http://www.w3.org/1999/xhtml" xmlns:bv = "http://spaces.live.com/bv"><HEAD><TITLE>樱花开了 - 小雨的空间 - Windows Live</TITLE>
<META http-equiv=Content-Type content="text/html; charset=gb2312">
<LINK href="日志 - demo_files/spaces.css" type=text/css rel=stylesheet>
<SCRIPT src="日志 - demo_files/blog.js" type=text/javascript></SCRIPT>

<META content="MSHTML 6.00.6000.17023" name=GENERATOR></HEAD>
<BODY class=spacesBody>
<DIV id=spaceHeader>
<H1 class=TextColor1><A href="http://{HOST}/">小雨的空间</A></H1>
<DIV class=subtitle>记录生活的点点滴滴</DIV></DIV>
<DIV id=blogPart>
<DIV class=bvEntryPage>
<DIV class=TextColor1 id=subj{cns(601)}>樱花开了</DIV>
<DIV class=bvMsg id=msg{cns(601)}>
<DIV>今天中午和同事去东湖看樱花，人山人海，连停车的地方都找不到。</DIV>
<DIV><A href="http://aBc123.bay.livefilestore.com/y1pSakura/P1000123.JPG?psid=1" target=_blank rel="WLPP;url=http://aBc123.bay.livefilestore.com/y1pSakura/P1000123.JPG?psid=1;cnsid=cns&#33;{OWNER}&#33;600"><IMG alt="" src="日志 - demo_files/photo.jpg" border=0></A></DIV>
<DIV>拍了几十张照片，只有这一张还算满意。明年一定要早点去。</DIV></DIV><SPAN class=bold id=LastMDate{cns(601)}>4月14日</SPAN>
<DIV class=footerLinks>15:42 | <A id=blogCategory0 href="http://{HOST}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat%3d{cat}">生活</A> | <A href="http://{HOST}/blog/{cns(601)}.entry#post" bvItemType="post">评论 (0)</A> | <A id=blogPermalink0 href="{url}">永久链接</A></DIV>
<DIV class=footer></DIV></DIV></DIV>
<DIV id=footer>&copy; 2010 Microsoft | <A href="http://privacy.microsoft.com/zh-cn/default.mspx">隐私声明</A></DIV></BODY></HTML>
"""


def save_page_603():
    url = f"http://{HOST}/blog/{cns(603)}.entry"
    cat = "%25e6%2597%2585%25e8%25a1%258c"  # 旅行
    return f"""\ufeff<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
{saved_from(url)}
<HTML lang=zh-cn dir=ltr xmlns="http://www.w3.org/1999/xhtml" xmlns:bv = "http://spaces.live.com/bv"><HEAD><TITLE>周末爬山 - 小雨的空间 - Windows Live</TITLE>
<META http-equiv=Content-Type content="text/html; charset=utf-8">
<LINK href="日志 - demo (2)_files/spaces.css" type=text/css rel=stylesheet>

<META content="MSHTML 6.00.6000.17023" name=GENERATOR></HEAD>
<BODY class=spacesBody>
<DIV id=spaceHeader>
<H1 class=TextColor1><A href="http://{HOST}/">小雨的空间</A></H1></DIV>
<DIV id=blogPart>
<DIV class=bvEntryPage>
<DIV class=TextColor1 id=subj{cns(603)}>周末爬山</DIV>
<DIV class=bvMsg id=msg{cns(603)}>
<DIV>早上七点出发，爬到山顶正好九点。山上的杜鹃花也开了，一路都是红的。</DIV>
<DIV>下山的时候腿一直在抖，明天估计要躺一天。</DIV></DIV><SPAN class=bold id=LastMDate{cns(603)}>2010/4/20</SPAN>
<DIV class=footerLinks>9:00:00 | <A id=blogCategory0 href="http://{HOST}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat%3d{cat}">旅行</A> | <A href="http://{HOST}/blog/{cns(603)}.entry#post" bvItemType="post">评论 (0)</A> | <A id=blogPermalink0 href="{url}">永久链接</A></DIV>
<DIV class=footer></DIV></DIV></DIV>
<DIV id=footer>&copy; 2010 Microsoft</DIV></BODY></HTML>
"""


SPACES_CSS = """body{font-family:Verdana,"宋体",sans-serif;font-size:10pt;background:#fff}
.TextColor1{color:#2a4d7b}.footerLinks{color:#777;font-size:8pt}.bvMsg{line-height:1.5}
"""

BLOG_JS = """var Spaces=Spaces||{};Spaces.Blog={init:function(){return true}};
function BlogIt(cns,space){window.open('http://spaces.live.com/BlogIt.aspx?cns='+cns+'&space='+space);}
"""


def save_page_files():
    d = "save-page-complete/"
    return {
        d + "日志 - demo.htm": crlf(save_page_601()).encode("gbk"),
        d + "日志 - demo_files/photo.jpg": jpeg("save-page-complete"),
        d + "日志 - demo_files/spaces.css": crlf(SPACES_CSS).encode("gbk"),
        d + "日志 - demo_files/blog.js": crlf(BLOG_JS).encode("ascii"),
        d + "日志 - demo (2).htm": crlf(save_page_603()).encode("utf-8"),
        d + "日志 - demo (2)_files/spaces.css": crlf(SPACES_CSS).encode("utf-8"),
    }


# --------------------------------------------------------------------------
# zh-TW list page in Big5 under a stale gb2312 meta


def tw_footer(n, k, date, cat_name=None, cat_link=None, comments=0):
    parts = [
        f"<nobr>{date}</nobr>",
        f'<nobr><a bvItemType="post"href="http://{HOST}/blog/{cns(n)}.entry#post">{ncr("迴響")} ({comments})</a></nobr>',
        f'<nobr><a href="http://spaces.live.com/api.aspx?wx_action=sendMessage&amp;wxp_toCid={CID}&amp;wxp_ref=http%3A%2F%2F{HOST}%2Fblog%2Fcns%21{OWNER}%21{n}.entry&amp;mkt=zh-tw"target="_blank">{ncr("傳送訊息")}</a></nobr>',
        f'<nobr><a id="blogPermalink{k}"href="http://{HOST}/blog/{cns(n)}.entry">{ncr("永久連結")}</a></nobr>',
        f'<nobr><a bvItemType="trackback"href="http://{HOST}/blog/{cns(n)}.entry#trackback">{ncr("引用通告")} (0)</a></nobr>',
        "<nobr><a href=\"javascript:BlogIt('" + cns(n) + "','demo-space');\">" + ncr("轉貼") + "</a></nobr>",
    ]
    if cat_name:
        parts.append(
            f'<nobr><a id="blogCategory{k}"href="http://{HOST}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat={cat_link}">{ncr(cat_name)}</a></nobr>'
        )
    return '<div class="footerLinks">' + "&nbsp;| ".join(parts) + "</div>"


def tw_comment(n, name, text, date):
    return f"""<div class="bvCommentText" bv:cns="{cns(n)}">
 <span id="ccName{cns(n)}">{ncr(name)}</span>
 <div class="ccViewComment">{text}</div>
 <span id="ccDate{cns(n)}" class="ccDate">{date}</span>
</div>"""


def zh_tw_page():
    travel = "%25e6%2597%2585%25e9%2581%258a"  # 旅遊
    life = "%25e7%2594%259f%25e6%25b4%25bb"  # 生活
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:bv="http://spaces.live.com/bv" dir="ltr" lang="zh-tw">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>小熊的空間 - Windows Live</title>
<link rel="stylesheet" type="text/css" href="http://js.wlxrs.com/Spaces/css/zh-tw/spaces.css">
</head>
<body>
<div id="spaceHeader"><h1 class="TextColor1">小熊的空間</h1><div class="subtitle">寫寫日記，拍拍照片，記錄在台北的日子。</div></div>
<div id="blogPart">
<h2 class="TextColor1">{ncr("網誌")}</h2>
<div id="entry{cns(709)}" class="bvEntry" bv:cns="{cns(709)}" bv:ca="true" bv:cat="">
<h4 id="subj{cns(709)}" class="TextColor1"><a href="http://{HOST}/blog/{cns(709)}.entry">{ncr("新的相機")}</a></h4>
<div id="msg{cns(709)}" class="bvMsg"><div>存了半年的錢，終於買了一台新的數位相機。</div>
<div>第一張照片拍的是家裡的貓，牠好像不太高興。說明書很厚，這個週末慢慢研究。</div></div>
{tw_footer(709, 0, "2008/5/1 上午 11:02:15")}
<div class="footer"></div>
</div>

<div id="entry{cns(705)}" class="bvEntry" bv:cns="{cns(705)}" bv:ca="true" bv:cat="旅遊">
<h4 id="subj{cns(705)}" class="TextColor1"><a href="http://{HOST}/blog/{cns(705)}.entry">週末去淡水看夕陽</a></h4>
<div id="msg{cns(705)}" class="bvMsg"><div>星期六下午搭捷運到淡水，老街上的人比想像中多很多。</div>
<div>吃了阿給和魚丸湯，傍晚在河邊等夕陽。天空從橘色變成紫色，大家都拿出相機拍個不停。</div></div>
{tw_footer(705, 1, "2008/4/12 下午 06:48:30", "旅遊", travel)}
<div class="footer"></div>
</div>

<div id="entry{cns(701)}" class="bvEntry" bv:cns="{cns(701)}" bv:ca="true" bv:cat="生活">
<h4 id="subj{cns(701)}" class="TextColor1"><a href="http://{HOST}/blog/{cns(701)}.entry">{ncr("台北的雨季")}</a></h4>
<div id="msg{cns(701)}" class="bvMsg"><div>這個星期每天都在下雨，出門一定要帶傘，鞋子從來沒有乾過。</div>
<div>晚上窩在家裡看書、喝熱茶，聽著窗外的雨聲，其實也滿舒服的。</div></div>
{tw_footer(701, 2, "2008/3/9 下午 04:05:00", "生活", life, comments=2)}
<div class="footer"></div>
<div id="comments{cns(701)}" class="bvComments" bv:commentcount="2" bv:cns="{cns(701)}">
{tw_comment(703, "阿明", "台北今年的雨真的特別多，我的雨傘已經壞了兩把。", "2008/3/10 上午 09:12:00")}
{tw_comment(702, "小美", "記得多穿一點衣服，不要感冒了！", "2008/3/9 下午 11:30:45")}
</div>
</div>

<div class="bvPaging"><a href="http://{HOST}/?_c11_BlogPart_pagedir=Next&amp;_c11_BlogPart_handle={cns(701)}&amp;_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;mkt=zh-tw">{ncr("下一頁")} &gt;</a></div>
</div>
<div id="footer">&copy; 2008 Microsoft | {ncr("隱私權")}</div>
</body>
</html>
"""


def zh_tw_files():
    return {"zh-tw-big5/網誌 - 小熊的空間.htm": zh_tw_page().encode("big5")}


# --------------------------------------------------------------------------
# ja-JP single-entry pages in Shift_JIS


def ja_page(n, title, body, date, time, cat_name, cat_link, comments):
    url = f"http://{HOST}/blog/{cns(n)}.entry"
    boxes = "\n".join(
        f'<div class="ccCommentBox"><div class="ccName">{ncr(name)}</div>'
        f'<div class="Comment">{text}</div>'
        f'<div class="ccDateBox"><span>{when}</span></div></div>'
        for name, text, when in comments
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
{saved_from(url)}
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:bv="http://spaces.live.com/bv" dir="ltr" lang="ja">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">
<title>{title} - みどりのスペース - Windows Live</title>
<link rel="stylesheet" type="text/css" href="http://js.wlxrs.com/Spaces/css/ja-jp/spaces.css">
</head>
<body>
<div id="spaceHeader"><h1 class="TextColor1">みどりのスペース</h1></div>
<div id="blogPart">
<h4 id="subj{cns(n)}" class="TextColor1">{ncr(title)}</h4>
<div id="msg{cns(n)}" class="bvMsg">{body}</div>
<span class="bold" id="LastMDate{cns(n)}">{date}</span>
<div class="footerLinks">{time}&nbsp;| <a bvItemType="post"href="{url}#post">{ncr("コメント")} ({len(comments)})</a>&nbsp;| <a id="blogPermalink0"href="{url}">{ncr("固定リンク")}</a>&nbsp;| <a id="blogCategory0"href="http://{HOST}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat%3d{cat_link}">{ncr(cat_name)}</a></div>
<div class="footer"></div>
<div class="ccComments">
{boxes}
</div>
</div>
<div id="footer">&copy; 2008 Microsoft | {ncr("プライバシー")}</div>
</body>
</html>
"""


def ja_files():
    kamakura = ja_page(
        801,
        "ゴールデンウィークの鎌倉",
        "<p>朝早く電車に乗って鎌倉へ行きました。大仏を見てから、小町通りで抹茶のソフトクリームを食べました。</p>\n"
        "<p>帰りは江ノ電で海を見ながら藤沢まで。人が多くて疲れましたが、天気が良くて最高の一日でした。</p>",
        "2008/05/03",
        "14:20",
        "旅行",
        "%25e6%2597%2585%25e8%25a1%258c",
        [
            ("たけし", "大仏、久しぶりに見たいなあ。", "2008/05/04 21:33"),
            ("ゆき", "江ノ電いいですね！写真も見せてください。", "2008/05/04 9:05"),
        ],
    )
    bike = ja_page(
        806,
        "新しい自転車",
        "<p>通勤用に新しい自転車を買いました。色は紺で、かごも付いています。</p>\n"
        "<p>駅まで十分で着くようになりました。雨の日はどうしようか、まだ考え中です。</p>",
        "2008年5月17日",
        "22:47",
        "日記",
        "%25e6%2597%25a5%25e8%25a8%2598",
        [("さくら", "紺色、かっこいい！今度一緒にサイクリングしましょう。", "2008/05/18 7:40")],
    )
    return {
        "ja-sjis/ゴールデンウィークの鎌倉.htm": kamakura.encode("shift_jis"),
        "ja-sjis/新しい自転車.htm": bike.encode("shift_jis"),
    }


# --------------------------------------------------------------------------
# de-DE list page (windows-1252, no charset) + pt-BR entry pages (UTF-8)


def de_footer(n, k, date, cat):
    cat_link = cat.replace(" ", "%20")
    return (
        f'<div class="footerLinks"><nobr>{date}</nobr>&nbsp;| '
        f'<nobr><a bvItemType="post"href="http://{HOST}/blog/{cns(n)}.entry#post">Kommentare (0)</a></nobr>&nbsp;| '
        f'<nobr><a id="blogPermalink{k}"href="http://{HOST}/blog/{cns(n)}.entry">Permalink</a></nobr>&nbsp;| '
        f'<nobr><a id="blogCategory{k}"href="http://{HOST}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat%3d{cat_link}&amp;mkt=de-de">{cat}</a></nobr></div>'
    )


def de_list_page():
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:bv="http://spaces.live.com/bv" dir="ltr" lang="de-de">
<head>
<title>Anas Space - Windows Live</title>
<link rel="stylesheet" type="text/css" href="http://js.wlxrs.com/Spaces/css/de-de/spaces.css">
</head>
<body>
<div id="spaceHeader"><h1 class="TextColor1">Anas Space</h1><div class="subtitle">Eine Brasilianerin in München – „Tudo bem?“</div></div>
<div id="blogPart">
<h2 class="TextColor1">Blog</h2>
<div id="entry{cns(912)}" class="bvEntry" bv:cns="{cns(912)}" bv:ca="true" bv:cat="Tecnologia">
<h4 id="subj{cns(912)}" class="TextColor1"><a href="blog/{cns(912)}.html">Mudança para o WordPress</a></h4>
<div id="msg{cns(912)}" class="bvMsg"><p>O Spaces vai fechar e o blog vai mudar de endereço.</p></div>
{de_footer(912, 0, "28.09.2010 15:57", "Tecnologia")}
<div class="footer"></div>
</div>

<div id="entry{cns(907)}" class="bvEntry" bv:cns="{cns(907)}" bv:ca="true" bv:cat="Alltag">
<h4 id="subj{cns(907)}" class="TextColor1"><a href="http://{HOST}/blog/{cns(907)}.entry">Über den Winter in Bayern</a></h4>
<div id="msg{cns(907)}" class="bvMsg"><p>Der erste Schnee ist gefallen, und ich habe mir endlich warme Stiefel gekauft. Die Nachbarin sagt, das sei „noch gar nichts“.</p>
<p>Zum Aufwärmen gab es Glühwein auf dem Christkindlmarkt: 3,50 € pro Tasse, die Tasse gibt es gegen Pfand.</p></div>
{de_footer(907, 1, "21.11.2009 09:05", "Alltag")}
<div class="footer"></div>
</div>

<div id="entry{cns(904)}" class="bvEntry" bv:cns="{cns(904)}" bv:ca="true" bv:cat="Reisen">
<h4 id="subj{cns(904)}" class="TextColor1"><a href="http://{HOST}/blog/{cns(904)}.entry">Grüße aus München</a></h4>
<div id="msg{cns(904)}" class="bvMsg"><p>Zwei Monate bin ich jetzt hier. Die Brezeln sind großartig, das Wetter ändert sich stündlich.</p>
<p>Am Wochenende waren wir am Starnberger See: Wasser eiskalt, Biergarten schön, Füße müde.</p></div>
{de_footer(904, 2, "14.06.2009 18:30", "Reisen")}
<div class="footer"></div>
</div>

<div class="bvPaging"><a href="http://{HOST}/?_c11_BlogPart_pagedir=Next&amp;_c11_BlogPart_handle={cns(904)}&amp;_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;mkt=de-de">Ältere Einträge &gt;</a></div>
</div>
<div id="footer">&copy; 2010 Microsoft | Datenschutz</div>
</body>
</html>
"""


def pt_page(n, title, body, date, time, cat_full, cat_text, comments):
    url = f"http://{HOST}/blog/{cns(n)}.entry"
    items = "\n".join(
        f"""<div class="bvCommentText" bv:cns="{cns(c)}">
 <span id="ccName{cns(c)}">{name}</span>
 <div class="ccViewComment">{text}</div>
 <span id="ccDate{cns(c)}" class="ccDate">{when}</span>
</div>"""
        for c, name, text, when in comments
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:bv="http://spaces.live.com/bv" dir="ltr" lang="pt-br">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title} - Espaço da Ana - Windows Live</title>
<link rel="stylesheet" type="text/css" href="http://js.wlxrs.com/Spaces/css/pt-br/spaces.css" />
</head>
<body>
<div id="spaceHeader"><h1 class="TextColor1"><a href="../index.html">Espa&#231;o da Ana</a></h1></div>
<div id="blogPart">
<div id="subj{cns(n)}" class="TextColor1">{title}</div>
<div id="msg{cns(n)}" class="bvMsg">{body}</div>
<span class="bold" id="LastMDate{cns(n)}">{date}</span>
<div class="footerLinks">{time} | <a bvItemType="post"href="{url}#post">Coment&#225;rios ({len(comments)})</a> | <a id="blogPermalink0"href="{url}">Link permanente</a> | <a id="blogCategory0" href="http://{HOST}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat%3d{cat_full}&amp;mkt=pt-br">{cat_text}</a></div>
<div class="footer"></div>
<div id="comments{cns(n)}" class="bvComments" bv:commentcount="{len(comments)}" bv:cns="{cns(n)}">
{items}
</div>
</div>
<div id="footer">&copy; Microsoft | Privacidade</div>
</body>
</html>
"""


def de_pt_files():
    d = "de-pt-dates/demo-space.spaces.live.com/"
    munich = pt_page(
        901,
        "Cheguei em Munique",
        "<p>Depois de doze horas de voo, finalmente cheguei. O apartamento é pequeno, mas tem uma varanda.</p>\n"
        "<p>Amanhã começo o curso de alemão. Deseje-me sorte!</p>",
        "03/04/2009",
        "10:15",
        "Viagens",
        "Viag",
        [
            (903, "Paulo", "Boa sorte com o alemão! Manda fotos da varanda.", "07/04/2009 08:30"),
            (902, "Juliana", "Que saudade! Já está frio aí?", "05/04/2009 21:00"),
        ],
    )
    wordpress = pt_page(
        912,
        "Mudança para o WordPress",
        "<p>O Spaces vai fechar e o blog vai mudar de endereço.</p>\n"
        "<p>A migração parece simples: um clique e os posts, os comentários e as fotos vão junto. Vamos ver.</p>",
        "28/09/2010",
        "15:57",
        "Tecnologia",
        "Tecnol",
        [],
    )
    return {
        d + "index.html": de_list_page().encode("windows-1252"),
        d + f"blog/{cns(901)}.html": munich.encode("utf-8"),
        d + f"blog/{cns(912)}.html": wordpress.encode("utf-8"),
    }


# --------------------------------------------------------------------------
# zips with exact name bytes


def backup_entry_page(n, lang, title, body, date, cat, cat_link, extra=""):
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:bv="http://spaces.live.com/bv" dir="ltr" lang="{lang}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{ncr(title)}</title>
</head>
<body>
<div id="blogList">
<div class="bvEntry" id="entry{cns(n)}" bv:cns="{cns(n)}" bv:ca="true" bv:cat="{cat}">
 <h4 class="TextColor1" id="subj{cns(n)}"><a href="http://{HOST}/blog/{cns(n)}.entry">{ncr(title)}</a></h4>
 <div class="bvMsg" id="msg{cns(n)}">{body}</div>
 <div class="footerLinks"><nobr>{date}</nobr>&nbsp;| <nobr><a id="blogPermalink0"href="http://{HOST}/blog/{cns(n)}.entry">Permalink</a></nobr>&nbsp;| <nobr><a id="blogCategory0"href="http://{HOST}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat={cat_link}">{ncr(cat)}</a></nobr></div>
 <div class="footer"></div>
{extra}</div>
</div>
</body>
</html>
"""


def cp437_zip_files():
    page = backup_entry_page(
        1001,
        "fr-fr",
        "Café résumé : mes adresses préférées",
        "<p>Trois ans de cafés lyonnais, résumés en une liste. Le meilleur crème brûlée reste celui de la rue Mercière.</p>\n"
        '<p><img src="Photos/Crème brûlée.jpg" alt="Crème brûlée" border="0"></p>\n'
        "<p>À bientôt sur le nouveau blog !</p>",
        "21/10/2008 19:45:12",
        "Cuisine",
        "Cuisine",
        '<div class="ccCommentBox"><span class="ccName">Élodie</span><div class="Comment">Merci pour la liste !</div></div>'
        '<div class="ccDateBox"><span>22/10/2008 08:03:00</span></div>\n',
    )
    return [
        ("Blog/Café résumé.html", page.encode("utf-8")),
        ("Blog/Photos/Crème brûlée.jpg", jpeg("cp437-names")),
    ]


def utf8_zip_files():
    page = backup_entry_page(
        1002,
        "ja",
        "七夕の夜",
        "<p>今年の七夕は晴れました。ベランダから天の川が少しだけ見えました。</p>\n"
        '<p><a href="http://aBc123.bay.livefilestore.com/y1pTnbt/%E4%B8%83%E5%A4%95.jpg?psid=1" target="_blank">'
        '<img src="http://aBc123.bay.livefilestore.com/y1pTnbt/%E4%B8%83%E5%A4%95.jpg?psid=1" alt="短冊" border="0"></a></p>\n'
        "<p>短冊には「みんな元気で」と書きました。</p>",
        "2009/07/07 21:30",
        "日記",
        "%25e6%2597%25a5%25e8%25a8%2598",
    )
    return [
        ("ブログ/日記 2009-07-07.html", page.encode("utf-8")),
        ("ブログ/画像/七夕.jpg", jpeg("utf8-flag-names")),
    ]


# --------------------------------------------------------------------------


def targets():
    files = {}
    for part in (save_page_files, zh_tw_files, ja_files, de_pt_files):
        files.update(part())
    files["cp437-names.zip"] = raw_zip(cp437_zip_files(), "cp437")
    files["utf8-flag-names.zip"] = raw_zip(utf8_zip_files(), "utf-8", utf8_flag=True)
    return files


def on_disk_extras(files):
    """Files in the owned folders that the script does not write."""
    extra = []
    for d in OWNED_DIRS:
        top = os.path.join(TESTDATA, d)
        for dirpath, _, names in os.walk(top):
            for fn in names:
                rel = os.path.relpath(os.path.join(dirpath, fn), TESTDATA).replace(os.sep, "/")
                if rel not in files and not (fn in KEEP and dirpath == top):
                    extra.append(rel)
    return sorted(extra)


def main(argv):
    check = "--check" in argv[1:]
    files = targets()
    status = 0
    for rel in sorted(files):
        data = files[rel]
        path = os.path.join(TESTDATA, *rel.split("/"))
        shown = "testdata/" + rel
        if check:
            try:
                with open(path, "rb") as fh:
                    same = fh.read() == data
            except FileNotFoundError:
                same = False
            if not same:
                print(f"{shown}: DIFFERS")
                status = 1
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
            print(f"wrote {shown} ({len(data)} bytes)")
    for rel in on_disk_extras(files):
        print(f"testdata/{rel}: not written by this script")
        status |= 1 if check else 0
    if check and status == 0:
        print(f"{len(files)} files up to date")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
