#!/usr/bin/env python3
"""Write testdata/albums-en/ and testdata/albums-ja/: wget mirrors of two
spaces that hold photo-album feeds (shared/docs/web-archives.md §6.2).

- albums-en: a blog entry, the space's feed.rss (the entry and an album
  update, msn:type photoalbum), /photos/feed.rss (two albums, live:type
  photoalbum, itemRSS), the first album's own feed (three photos with
  enclosures: a caption, a caption of another photo, and a title that is only
  the file name) and two of its three pictures; the second album's feed is
  not in the mirror.
- albums-ja: a Japanese space with one entry and only an album's own feed
  (no /photos/feed.rss): the album comes from the feed's channel; both
  pictures are present.

The namespace URIs of msn:/live: are not known (a gap of the notes); the
reader goes by the prefixes' local names. Everything is synthetic and
deterministic: running it twice gives the same bytes.
"""
import os

from fixturelib import jpeg_variant

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "..", "testdata")


def jpeg(seed):
    return jpeg_variant(f"spaces2wxr album fixture {seed}")


def entry(owner, host, n, title, date, time, body, lang="en-US", cat="General"):
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html lang="{lang}"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>{title} - {host.split('.')[0]}</title></head>
<body><div id="content">
<div id="subjcns!{owner}!{n}" class="TextColor1">{title}</div>
<div id="msgcns!{owner}!{n}" class="bvMsg">{body}</div>
<span class="bold" id="LastMDatecns!{owner}!{n}">{date}</span>
<div class="footerLinks">{time} | <a id="blogCategory0" href="http://{host}/?_c11_BlogPart_BlogPart=blogview&amp;_c=BlogPart&amp;partqs=cat%3d{cat}">{cat}</a></div>
</div></body></html>
"""


def write(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    kw = {} if isinstance(data, bytes) else {"encoding": "utf-8", "newline": "\n"}
    with open(path, mode, **kw) as f:
        f.write(data)


EN_OWNER = "D2C0FFEE87654321"
EN_HOST = "demo-albums.spaces.live.com"


def album_en():
    o, h = EN_OWNER, EN_HOST
    root = os.path.join(TESTDATA, "albums-en")
    write(root, f"{h}/blog/cns!{o}!101.html", entry(o, h, 101, "Back from Lisbon", "8/16/2010", "9:05 PM", """
<p>Home again after a long weekend in Portugal. The photos are in the album <i>Lisbon &amp; Sintra</i>.</p>"""))
    write(root, f"{h}/feed.rss", f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:msn="http://schemas.microsoft.com/msn/spaces/2005/rss">
<channel>
<title>Demo albums</title>
<link>http://{h}/</link>
<description>Trips and pictures</description>
<language>en-US</language>
<generator>Windows Live Spaces</generator>
<item>
<title>Back from Lisbon</title>
<link>http://{h}/blog/cns!{o}!101.entry</link>
<guid isPermaLink="true">http://{h}/blog/cns!{o}!101.entry</guid>
<pubDate>Tue, 17 Aug 2010 04:05:00 GMT</pubDate>
<description>&lt;p&gt;Home again after a long weekend in Portugal.&lt;/p&gt;</description>
</item>
<item>
<title>Lisbon &amp; Sintra</title>
<link>http://{h}/photos/cns!{o}!130/</link>
<guid isPermaLink="true">http://{h}/photos/cns!{o}!130/</guid>
<pubDate>Sun, 15 Aug 2010 18:20:00 GMT</pubDate>
<description>&lt;table border="0"&gt;&lt;tr&gt;&lt;td valign="top"&gt;&lt;a href="http://{h}/photos/cns!{o}!130/cns!{o}!131"&gt;&lt;img src="http://blufiles.storage.msn.com/y1pTram28/tram_thumb.jpg" border="0"&gt;&lt;/a&gt;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</description>
<msn:type>photoalbum</msn:type>
</item>
</channel>
</rss>
""")
    write(root, f"{h}/photos/feed.rss", f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:live="http://schemas.microsoft.com/live/spaces/2006/rss">
<channel>
<title>Demo albums: Photos</title>
<link>http://{h}/photos/</link>
<description>Photo albums</description>
<language>en-US</language>
<item>
<title>Photo Album: Lisbon &amp; Sintra</title>
<link>http://{h}/photos/cns!{o}!130/</link>
<guid isPermaLink="false">cns!{o}!130</guid>
<pubDate>Sun, 15 Aug 2010 18:20:00 GMT</pubDate>
<description>&lt;p&gt;Three days by the Tagus, one in the hills of Sintra.&lt;/p&gt;</description>
<live:type>photoalbum</live:type>
<live:itemRSS>http://{h}/photos/cns!{o}!130/feed.rss</live:itemRSS>
</item>
<item>
<title>Photo Album: Garden, spring 2010</title>
<link>http://{h}/photos/cns!{o}!140/</link>
<guid isPermaLink="false">cns!{o}!140</guid>
<pubDate>Sat, 01 May 2010 09:30:00 GMT</pubDate>
<live:type>photoalbum</live:type>
<live:itemRSS>http://{h}/photos/cns!{o}!140/feed.rss</live:itemRSS>
</item>
</channel>
</rss>
""")
    write(root, f"{h}/photos/cns!{o}!130/feed.rss", f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:live="http://schemas.microsoft.com/live/spaces/2006/rss">
<channel>
<title>Lisbon &amp; Sintra</title>
<link>http://{h}/photos/cns!{o}!130/</link>
<description>Three days by the Tagus, one in the hills of Sintra.</description>
<item>
<title>Tram 28 climbing to the castle</title>
<link>http://{h}/photos/cns!{o}!130/cns!{o}!131</link>
<guid isPermaLink="false">cns!{o}!131</guid>
<enclosure url="http://blufiles.storage.msn.com/y1pTram28/tram.jpg" type="image/jpeg" length="2048"/>
</item>
<item>
<title>Pena Palace in the fog</title>
<link>http://{h}/photos/cns!{o}!130/cns!{o}!132</link>
<guid isPermaLink="false">cns!{o}!132</guid>
<enclosure url="http://blufiles.storage.msn.com/y1pPena/pena.jpg" type="image/jpeg" length="2048"/>
</item>
<item>
<title>IMG_0042.JPG</title>
<link>http://{h}/photos/cns!{o}!130/cns!{o}!133</link>
<guid isPermaLink="false">cns!{o}!133</guid>
<enclosure url="http://blufiles.storage.msn.com/y1pCabo/IMG_0042.JPG" type="image/jpeg" length="2048"/>
</item>
</channel>
</rss>
""")
    write(root, "blufiles.storage.msn.com/y1pTram28/tram.jpg", jpeg("tram"))
    write(root, "blufiles.storage.msn.com/y1pCabo/IMG_0042.JPG", jpeg("cabo"))


JA_OWNER = "0A1B2C3D4E5F6071"
JA_HOST = "sakura-nikki.spaces.live.com"


def album_ja():
    o, h = JA_OWNER, JA_HOST
    root = os.path.join(TESTDATA, "albums-ja")
    write(root, f"{h}/blog/cns!{o}!301.html", entry(o, h, 301, "京都の夏", "2009/07/20", "22:10", """
<p>祇園祭の写真はアルバム「京都・祇園祭」にあります。</p>""", lang="ja-JP", cat="旅行"))
    write(root, f"{h}/photos/cns!{o}!305/feed.rss", f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:live="http://schemas.microsoft.com/live/spaces/2006/rss">
<channel>
<title>京都・祇園祭</title>
<link>http://{h}/photos/cns!{o}!305/</link>
<description>&lt;p&gt;2009年7月、山鉾巡行の日に撮りました。&lt;/p&gt;</description>
<language>ja-JP</language>
<pubDate>Sun, 19 Jul 2009 11:45:00 GMT</pubDate>
<item>
<title>長刀鉾と人の波</title>
<link>http://{h}/photos/cns!{o}!305/cns!{o}!306</link>
<enclosure url="http://tkfiles.storage.msn.com/y1pNaginata/%E9%95%B7%E5%88%80%E9%89%BE.jpg" type="image/jpeg" length="4096"/>
</item>
<item>
<title>DSC00123</title>
<link>http://{h}/photos/cns!{o}!305/cns!{o}!307</link>
<enclosure url="http://tkfiles.storage.msn.com/y1pDsc/DSC00123.JPG" type="image/jpeg" length="4096"/>
</item>
</channel>
</rss>
""")
    write(root, "tkfiles.storage.msn.com/y1pNaginata/長刀鉾.jpg", jpeg("naginata"))
    write(root, "tkfiles.storage.msn.com/y1pDsc/DSC00123.JPG", jpeg("dsc"))


def main():
    album_en()
    album_ja()


if __name__ == "__main__":
    main()
