"""GOV.UK Design System components that wrap other markup, as block tags over the includes in
``templates/govuk/components/``.

``{% summary_list_row key="Received" %}{{ case.received_date|govuk_date }}{% endsummary_list_row %}`` renders
``govuk/components/summary_list_row.html`` with the block's rendered body, trimmed, as ``content``. A
``{% slot name %}…{% endslot %}`` directly inside the block passes its rendered markup, exactly as written, as the
parameter ``name`` instead: a title or caption that needs tags or conditions. Keyword arguments are the other
parameters, and the table's positional arguments are its column headings. A component sees only its parameters,
as with ``{% include … only %}``. Components without a body (tag, back link, button…) are plain includes.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import template
from django.template.base import FilterExpression, Node, NodeList, Parser, Token, token_kwargs
from django.template.context import Context
from django.template.engine import Engine
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@dataclass(frozen=True)
class Component:
    template_name: str
    parameters: frozenset[str]
    # Whether the tag's positional arguments are column headings, passed as ``head`` (the table's).
    takes_head: bool = False


COMPONENTS = {
    "inset_text": Component("govuk/components/inset_text.html", frozenset({"classes", "id"})),
    "notification_banner": Component(
        "govuk/components/notification_banner.html",
        frozenset({"type", "title", "title_id", "text", "role", "disable_auto_focus", "id", "tabindex"}),
    ),
    "summary_card": Component(
        "govuk/components/summary_card.html",
        frozenset({"title", "heading_level", "actions", "actions_visually_hidden_text"}),
    ),
    "summary_list": Component("govuk/components/summary_list.html", frozenset({"classes"})),
    "summary_list_row": Component(
        "govuk/components/summary_list_row.html",
        frozenset({"key", "action_url", "action_label", "action_visually_hidden_text"}),
    ),
    "table": Component(
        "govuk/components/table.html",
        frozenset({"caption", "caption_classes", "classes", "id", "empty", "foot"}),
        takes_head=True,
    ),
}


class SlotNode(Node):
    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        # A component collects its slots before rendering; one reached here is not directly inside a component.
        raise template.TemplateSyntaxError(f"{{% slot {self.name} %}} must be directly inside a component's block")


class ComponentNode(Node):
    def __init__(
        self,
        component: Component,
        args: list[FilterExpression],
        kwargs: dict[str, FilterExpression],
        slots: list[SlotNode],
        nodelist: NodeList,
    ) -> None:
        self.component = component
        self.args = args
        self.kwargs = kwargs
        self.slots = slots
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        params: dict[str, Any] = {name: value.resolve(context) for name, value in self.kwargs.items()}
        if self.component.takes_head:
            params["head"] = _table_head(arg.resolve(context) for arg in self.args)
        for slot in self.slots:
            params[slot.name] = slot.nodelist.render(context)
        # The body is template output, escaped as it rendered; trimming it keeps it safe.
        params["content"] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        engine = context.template.engine if context.template is not None else Engine.get_default()
        return engine.get_template(self.component.template_name).render(context.new(params))


def _table_head(values: Iterable[object]) -> list[Mapping[str, Any]]:
    """Column headings as the table component reads them: a string is a heading's text, a mapping a heading with
    options (``format``, ``classes``…), and a list or tuple several headings."""
    head: list[Mapping[str, Any]] = []
    for value in values:
        if isinstance(value, Mapping):
            head.append(value)
        elif isinstance(value, list | tuple):
            head.extend(_table_head(value))
        else:
            head.append({"text": value})
    return head


def _component_tag(name: str, component: Component) -> None:
    def compile_component(parser: Parser, token: Token) -> ComponentNode:
        bits = token.split_contents()[1:]
        args: list[FilterExpression] = []
        kwargs: dict[str, FilterExpression] = {}
        given: list[str] = []
        for bit in bits:
            kwarg = token_kwargs([bit], parser)
            if kwarg:
                kwargs.update(kwarg)
                given.extend(kwarg)
            elif not component.takes_head:
                raise template.TemplateSyntaxError(f"{{% {name} %}} takes keyword arguments only, not {bit!r}")
            else:
                args.append(parser.compile_filter(bit))
        nodelist = parser.parse((f"end{name}",))
        parser.delete_first_token()
        slots = [node for node in nodelist if isinstance(node, SlotNode)]
        body = NodeList(node for node in nodelist if not isinstance(node, SlotNode))
        given.extend(slot.name for slot in slots)
        unknown = sorted(set(given) - component.parameters)
        if unknown:
            raise template.TemplateSyntaxError(f"{{% {name} %}} has no parameter {', '.join(unknown)}")
        if len(given) != len(set(given)):
            raise template.TemplateSyntaxError(f"{{% {name} %}} is given a parameter twice")
        return ComponentNode(component, args, kwargs, slots, body)

    register.tag(name, compile_component)


for _name, _component in COMPONENTS.items():
    _component_tag(_name, _component)


@register.tag
def slot(parser: Parser, token: Token) -> SlotNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% slot %} takes the name of the parameter it fills")
    nodelist = parser.parse(("endslot",))
    parser.delete_first_token()
    return SlotNode(bits[1], nodelist)


@register.filter
def numeric_header(text: object) -> dict[str, object]:
    """A table column heading for numbers, aligned right as its cells are."""
    return {"text": text, "format": "numeric"}


@register.filter
def hidden_header(text: object) -> dict[str, object]:
    """A table column heading only screen readers announce: a column of links, say."""
    return {"text": text, "visually_hidden": True}
