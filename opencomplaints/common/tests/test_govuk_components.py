"""The GOV.UK Design System components in templates/govuk/components/, rendered with sample parameters: the
markup they give is govuk-frontend's, so pages built from them are styled and announced as the Design System
intends."""

from dataclasses import dataclass

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test.html import parse_html


def render(source: str, **context: object) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def include(component: str, **context: object) -> str:
    return Template(f'{{% include "govuk/components/{component}.html" %}}').render(Context(context))


def contains(html: str, fragment: str) -> bool:
    """Whether ``fragment`` is an element of ``html``, whatever the whitespace and attribute order."""
    return parse_html(html).count(parse_html(fragment)) > 0


# -- table -----------------------------------------------------------------------------------------------------

ROWS = '<tr class="govuk-table__row"><td class="govuk-table__cell">1</td></tr>'


def test_table_headings_are_column_headers_and_the_rows_its_body():
    html = render(
        '{% table "Person" "Since" caption="People" %}' + ROWS + "{% endtable %}",
    )
    assert contains(
        html,
        '<table class="govuk-table"><caption class="govuk-table__caption">People</caption>'
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Person</th><th scope="col" class="govuk-table__header">Since</th>'
        f'</tr></thead><tbody class="govuk-table__body">{ROWS}</tbody></table>',
    )


def test_table_classes_id_and_caption_classes():
    html = render(
        '{% table "When" classes="govuk-table--small-text-until-tablet" id="deadlines" caption="Deadlines" '
        'caption_classes="govuk-table__caption--m" %}' + ROWS + "{% endtable %}"
    )
    assert 'class="govuk-table govuk-table--small-text-until-tablet" id="deadlines"' in html
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Deadlines</caption>' in html


def test_table_numeric_and_visually_hidden_headings():
    html = render('{% table "Size"|numeric_header "Action"|hidden_header %}' + ROWS + "{% endtable %}")
    assert contains(html, '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Size</th>')
    assert contains(
        html, '<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Action</span></th>'
    )


def test_table_headings_from_a_list_are_each_a_column():
    html = render('{% table "Point" stages %}' + ROWS + "{% endtable %}", stages=["Stage 1 finding", "Stage 2 finding"])
    assert [th for th in ("Point", "Stage 1 finding", "Stage 2 finding") if f">{th}</th>" in html] == [
        "Point",
        "Stage 1 finding",
        "Stage 2 finding",
    ]
    assert html.count('scope="col"') == 3


def test_table_sortable_heading_links_and_says_how_the_rows_are_sorted():
    headers = [
        {"text": "Due", "href": "?sort=-due", "action": "sort descending", "aria_sort": "ascending"},
        {"text": "Left", "format": "numeric", "href": "?sort=left", "action": "sort ascending", "aria_sort": ""},
    ]
    html = render("{% table headers %}" + ROWS + "{% endtable %}", headers=headers)
    assert contains(
        html,
        '<th scope="col" class="govuk-table__header" aria-sort="ascending"><a class="govuk-link" href="?sort=-due">'
        'Due<span class="govuk-visually-hidden"> (sort descending)</span></a> <span aria-hidden="true">▲</span></th>',
    )
    assert contains(
        html,
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric"><a class="govuk-link" '
        'href="?sort=left">Left<span class="govuk-visually-hidden"> (sort ascending)</span></a></th>',
    )


def test_table_caption_slot_keeps_its_markup_and_heading_text_is_escaped():
    html = render(
        '{% table name %}{% slot caption %}3 cases <span class="govuk-caption-m">Showing 1 to 3</span>{% endslot %}'
        + ROWS
        + "{% endtable %}",
        name="<script>",
    )
    assert contains(
        html,
        '<caption class="govuk-table__caption">3 cases <span class="govuk-caption-m">Showing 1 to 3</span></caption>',
    )
    assert "&lt;script&gt;</th>" in html
    assert "<script>" not in html


def test_table_footer_rows_from_the_foot_slot():
    foot = '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Total</th></tr>'
    html = render('{% table "Amount" %}' + ROWS + "{% slot foot %}" + foot + "{% endslot %}{% endtable %}")
    assert contains(html, f"<tfoot>{foot}</tfoot>")
    assert html.index("</tbody>") < html.index("<tfoot>")


def test_table_without_rows_shows_its_empty_text_instead():
    source = '{% table "Document" caption="Documents" empty="No documents yet." %}{% for d in documents %}' + ROWS
    source += "{% endfor %}{% endtable %}"
    empty = render(source, documents=[])
    assert "<table" not in empty
    assert contains(empty, '<p class="govuk-body">No documents yet.</p>')
    shown = render(source, documents=[1])
    assert "<table" in shown
    assert "No documents yet." not in shown


def test_table_without_rows_or_empty_text_is_still_shown():
    html = render('{% table "Person" %}{% endtable %}')
    assert contains(html, '<th scope="col" class="govuk-table__header">Person</th>')
    assert "govuk-body" not in html


# -- summary list and summary card ---------------------------------------------------------------------------------


def test_summary_list_rows_are_keys_and_values():
    html = render(
        '{% summary_list classes="govuk-!-margin-bottom-9" %}'
        '{% summary_list_row key="Received" %}{{ when }}{% endsummary_list_row %}'
        "{% endsummary_list %}",
        when="13 June 2022",
    )
    assert contains(
        html,
        '<dl class="govuk-summary-list govuk-!-margin-bottom-9"><div class="govuk-summary-list__row">'
        '<dt class="govuk-summary-list__key">Received</dt><dd class="govuk-summary-list__value">13 June 2022</dd>'
        "</div></dl>",
    )
    assert "govuk-summary-list__actions" not in html


def test_summary_list_row_key_from_a_slot_and_value_trimmed():
    html = render(
        "{% summary_list_row %}{% slot key %}Complainant<em>s</em>{% endslot %}\n   Ann, Bo\n{% endsummary_list_row %}"
    )
    assert '<dt class="govuk-summary-list__key">Complainant<em>s</em></dt>' in html
    assert '<dd class="govuk-summary-list__value">Ann, Bo</dd>' in html


def test_summary_list_row_action_names_what_it_changes():
    html = render(
        '{% summary_list_row key="Your name" action_url="/name/" action_visually_hidden_text="your name" %}'
        "Ann{% endsummary_list_row %}"
    )
    assert contains(
        html,
        '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="/name/">'
        'Change<span class="govuk-visually-hidden"> your name</span></a></dd>',
    )


def test_summary_list_values_are_escaped():
    html = render("{% summary_list_row key=key %}{{ value }}{% endsummary_list_row %}", key="<b>", value="<i>")
    assert "&lt;b&gt;" in html
    assert "&lt;i&gt;" in html


@dataclass
class Link:
    url: str
    label: str


def test_summary_card_title_actions_and_content():
    html = render(
        "{% summary_card heading_level=3 actions=links %}{% slot title %}Ann (main contact){% endslot %}"
        "{% slot actions_visually_hidden_text %} for Ann{% endslot %}<dl>rows</dl>{% endsummary_card %}",
        links=[Link("/decide/", "Decide"), Link("/change/", "Change")],
    )
    assert contains(
        html,
        '<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper">'
        '<h3 class="govuk-summary-card__title">Ann (main contact)</h3>'
        '<ul class="govuk-summary-card__actions">'
        '<li class="govuk-summary-card__action"><a class="govuk-link" href="/decide/">Decide'
        '<span class="govuk-visually-hidden"> for Ann</span></a></li>'
        '<li class="govuk-summary-card__action"><a class="govuk-link" href="/change/">Change'
        '<span class="govuk-visually-hidden"> for Ann</span></a></li>'
        '</ul></div><div class="govuk-summary-card__content"><dl>rows</dl></div></div>',
    )


def test_summary_card_without_actions_is_an_h2_by_default():
    html = render('{% summary_card title="Stage 1" %}x{% endsummary_card %}')
    assert '<h2 class="govuk-summary-card__title">Stage 1</h2>' in html
    assert "govuk-summary-card__actions" not in html


# -- notification banner, inset text -----------------------------------------------------------------------------


def test_notification_banner_is_an_important_region_by_default():
    html = render('{% notification_banner text="Your file is ready" %}{% endnotification_banner %}')
    assert contains(
        html,
        '<div class="govuk-notification-banner" role="region" aria-labelledby="govuk-notification-banner-title" '
        'data-module="govuk-notification-banner"><div class="govuk-notification-banner__header">'
        '<h2 class="govuk-notification-banner__title" id="govuk-notification-banner-title">Important</h2></div>'
        '<div class="govuk-notification-banner__content">'
        '<p class="govuk-notification-banner__heading">Your file is ready</p></div></div>',
    )


def test_success_notification_banner_is_an_alert():
    html = render('{% notification_banner type="success" title_id="done" text="Saved" %}{% endnotification_banner %}')
    assert 'class="govuk-notification-banner govuk-notification-banner--success" role="alert"' in html
    assert 'aria-labelledby="done"' in html
    assert '<h2 class="govuk-notification-banner__title" id="done">Success</h2>' in html


def test_notification_banner_content_title_and_attributes():
    html = render(
        '{% notification_banner title="Check" title_id="t" disable_auto_focus=False tabindex="-1" id="dups" %}'
        "<p>Body</p>{% endnotification_banner %}"
    )
    assert 'data-disable-auto-focus="false" tabindex="-1" id="dups"' in html
    assert '<h2 class="govuk-notification-banner__title" id="t">Check</h2>' in html
    assert contains(html, '<div class="govuk-notification-banner__content"><p>Body</p></div>')
    assert "data-disable-auto-focus" not in render('{% notification_banner text="x" %}{% endnotification_banner %}')


def test_notification_banner_messages_give_each_banner_its_own_title():
    @dataclass
    class Message:
        level_tag: str
        text: str

        def __str__(self) -> str:
            return self.text

    html = include("notification_banner_messages", messages=[Message("success", "Saved"), Message("info", "Note")])
    assert 'govuk-notification-banner--success" role="alert" aria-labelledby="message-title-1"' in html
    assert 'class="govuk-notification-banner" role="region" aria-labelledby="message-title-2"' in html
    assert contains(html, '<p class="govuk-notification-banner__heading">Note</p>')
    assert html.strip().startswith('<div class="govuk-!-display-none-print">')


def test_no_messages_no_banner():
    assert include("notification_banner_messages", messages=[]).strip() == ""


def test_inset_text():
    html = render("{% inset_text %}Do not share this link.{% endinset_text %}")
    assert contains(html, '<div class="govuk-inset-text">Do not share this link.</div>')


# -- components without a body: plain includes -----------------------------------------------------------------------


def test_tag_with_and_without_a_colour():
    assert contains(
        include("tag", text="Overdue", classes="govuk-tag--red"),
        '<strong class="govuk-tag govuk-tag--red">Overdue</strong>',
    )
    assert '<strong class="govuk-tag">Open</strong>' in include("tag", text="Open")


def test_back_link_says_back_unless_told():
    assert contains(include("back_link", href="/cases/"), '<a href="/cases/" class="govuk-back-link">Back</a>')
    assert ">Back to cases</a>" in include("back_link", href="/cases/", text="Back to cases")


def test_button_submits_once_with_its_name_and_value():
    html = include(
        "button",
        text="Add a child",
        name="add_child",
        value="1",
        classes="govuk-button--secondary",
        prevent_double_click=True,
    )
    assert contains(
        html,
        '<button type="submit" name="add_child" value="1" class="govuk-button govuk-button--secondary" '
        'data-module="govuk-button" data-prevent-double-click="true">Add a child</button>',
    )
    assert "data-prevent-double-click" not in include("button", text="Search")


def test_button_link_and_start_button():
    link = include("button", text="Record the adjudication", href="/adjudicate/")
    assert contains(
        link,
        '<a href="/adjudicate/" role="button" draggable="false" class="govuk-button" data-module="govuk-button">'
        "Record the adjudication</a>",
    )
    start = include("button", text="Start now", href="/start/", start=True)
    assert 'class="govuk-button govuk-button--start"' in start
    assert '<svg class="govuk-button__start-icon"' in start
    assert 'aria-hidden="true" focusable="false"' in start


def test_pagination_is_not_shown_for_one_page():
    assert include("pagination", pagination=None).strip() == ""


def test_pagination_pages_and_links():
    pagination = {
        "items": [
            {"number": 1, "href": "?page=1", "current": False},
            {"ellipsis": True},
            {"number": 5, "href": "?page=5", "current": True},
        ],
        "previous": "?page=4",
        "next": "?page=6",
    }
    html = include("pagination", pagination=pagination, label="Pages of cases")
    assert '<nav class="govuk-pagination" aria-label="Pages of cases">' in html
    assert 'href="?page=4" rel="prev"' in html
    assert 'href="?page=6" rel="next"' in html
    assert '<li class="govuk-pagination__item govuk-pagination__item--ellipsis">&ctdot;</li>' in html
    assert contains(
        html,
        '<li class="govuk-pagination__item govuk-pagination__item--current">'
        '<a class="govuk-link govuk-pagination__link" href="?page=5" aria-label="Page 5" aria-current="page">5</a>'
        "</li>",
    )
    assert 'aria-label="Page 1">1</a>' in html


def test_error_summary_only_when_there_are_errors():
    assert include("error_summary", errors=[]).strip() == ""
    html = include("error_summary", errors=[{"href": "#id_name", "message": "Enter a name"}])
    assert 'class="govuk-error-summary" data-module="govuk-error-summary"' in html
    assert contains(html, '<h2 class="govuk-error-summary__title">There is a problem</h2>')
    assert contains(html, '<li><a href="#id_name">Enter a name</a></li>')


# -- mistakes in using the tags ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        '{% summary_list_row keys="Typo" %}x{% endsummary_list_row %}',
        '{% summary_list_row "Positional" %}x{% endsummary_list_row %}',
        '{% summary_card title="A" %}{% slot title %}B{% endslot %}x{% endsummary_card %}',
        '{% table "A" caption="One" caption="Two" %}{% endtable %}',
        "{% slot %}x{% endslot %}",
    ],
)
def test_a_mistake_in_a_component_tag_fails_when_the_template_is_read(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)


def test_a_slot_outside_a_component_fails_when_rendered():
    with pytest.raises(TemplateSyntaxError, match="directly inside"):
        render("{% summary_list %}{% if True %}{% slot classes %}x{% endslot %}{% endif %}{% endsummary_list %}")
