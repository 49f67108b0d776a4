"""shops.html.html_sanitise and its template filter: merchant HTML cannot inject anything."""
from __future__ import annotations

import pytest
from django.template import Context, Template

from shops.html import html_sanitise

XSS_PAYLOADS = [
    '<script>alert("xss")</script>',
    '<img src=x onerror="alert(1)">',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="JaVaScRiPt:alert(1)">clic</a>',
    '<a href=" javascript:alert(1)">clic</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">clic</a>',
    '<a href="vbscript:msgbox(1)">clic</a>',
    '<p onclick="alert(1)" onmouseover="alert(1)" style="background:url(javascript:alert(1))">texte</p>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<style>body { display: none }</style>',
    '<form action="https://evil.example/"><input name="carte"><button>OK</button></form>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<<script>script>alert(1)<</script>/script>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<a href="https://ok.example/" onfocus="alert(1)" autofocus>lien</a>',
]
FORBIDDEN = ["<script", "onerror", "onload", "onclick", "onmouseover", "onfocus", "javascript:", "vbscript:",
             "data:text", "<img", "<svg", "<iframe", "<object", "<embed", "<style", "style=", "<form",
             "<input", "<meta", "<base", "<math", "autofocus"]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_html_sanitise_removes_every_active_content(payload):
    cleaned = html_sanitise(html=payload).lower()
    for marker in FORBIDDEN:
        assert marker not in cleaned, (payload, cleaned)


def test_html_sanitise_drops_script_and_style_contents_not_only_the_tags():
    cleaned = html_sanitise(html='<script>alert("xss")</script><style>p{}</style><p>Pain au levain</p>')
    assert cleaned == "<p>Pain au levain</p>"


def test_html_sanitise_keeps_the_allowed_formatting():
    html = (
        "<p>Du <strong>bon</strong> pain, <em>tous</em> les jours.<br>Fermé le lundi.</p>"
        "<ul><li>Baguette</li></ul><ol><li>Commander</li><li>Retirer</li></ol>"
    )
    assert html_sanitise(html=html) == html


def test_html_sanitise_keeps_http_and_mail_links_with_a_safe_rel():
    cleaned = html_sanitise(html='<a href="https://boulangerie.example/" target="_blank" title="x">Site</a>')
    assert cleaned == '<a href="https://boulangerie.example/" rel="nofollow noopener noreferrer ugc">Site</a>'
    assert 'href="mailto:contact@boulangerie.example"' in html_sanitise(
        html='<a href="mailto:contact@boulangerie.example">Écrire</a>'
    )


def test_html_sanitise_keeps_the_text_of_a_link_whose_url_is_dangerous():
    cleaned = html_sanitise(html='<a href="javascript:alert(1)">Nos horaires</a>')
    assert "Nos horaires" in cleaned
    assert "href" not in cleaned


def test_html_sanitise_strips_other_tags_but_keeps_their_text():
    cleaned = html_sanitise(html='<div class="x"><h1 lang="fr">Bienvenue</h1> <b>chez</b> <span>nous</span></div>')
    assert cleaned == "Bienvenue chez nous"


def test_html_sanitise_keeps_no_attribute_on_allowed_tags_but_href_on_links():
    html = '<p title="t" lang="fr" class="c" id="i"><strong title="t">a</strong> <a href="/x" title="t" id="l">b</a></p>'
    assert html_sanitise(html=html) == (
        '<p><strong>a</strong> <a href="/x" rel="nofollow noopener noreferrer ugc">b</a></p>'
    )


def test_html_sanitise_turns_plain_text_into_escaped_paragraphs():
    text = "Pains & viennoiseries\nfaits maison.\n\nPrix < 2 €"
    assert html_sanitise(html=text) == (
        "<p>Pains &amp; viennoiseries<br>faits maison.</p>\n\n<p>Prix &lt; 2 €</p>"
    )


def test_html_sanitise_of_nothing_is_nothing():
    assert html_sanitise(html="") == ""


def test_the_template_filter_sanitises_and_does_not_escape_twice():
    template = Template("{% load shop_tags %}<div>{{ description|html_sanitise }}</div>")
    description = '<p>Le <strong>meilleur</strong> croissant</p><script>alert("xss")</script><img src=x onerror=alert(1)>'
    rendered = template.render(Context({"description": description}))
    assert rendered == "<div><p>Le <strong>meilleur</strong> croissant</p></div>"


def test_the_template_filter_renders_nothing_for_none():
    assert Template("{% load shop_tags %}[{{ value|html_sanitise }}]").render(Context({"value": None})) == "[]"


@pytest.mark.parametrize("text", ["", "Pain au levain.", "Pain & co\nau levain.\n\nCuit au feu de bois < 300 °C."])
def test_plain_text_round_trips_through_the_sanitiser(text):
    from shops.html import html_as_plain_text

    assert html_as_plain_text(html=html_sanitise(html=text)) == text


def test_richer_html_is_not_turned_into_text():
    from shops.html import html_as_plain_text

    assert html_as_plain_text(html="<p>Pain <strong>bio</strong></p>") is None
