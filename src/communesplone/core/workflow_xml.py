"""Write DCWorkflow ``definition.xml`` files from a Python description.

An application describes its workflows as data (states with their permission
maps, transitions with their guards) in a ``workflow_spec`` module; the
profiles' XML is generated from it by ``scripts/make_workflows.py``, and a
test checks that the committed XML is what the description gives. The
permission table is then read in one place, as a table, and the XML keeps
the form of Plone's own ``simple_publication_workflow``.
"""

from dataclasses import dataclass
from dataclasses import field
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr


@dataclass
class Transition:
    id: str
    title: str
    new_state: str
    permissions: tuple = ()
    roles: tuple = ()
    expr: str = ""
    description: str = ""


@dataclass
class State:
    id: str
    title: str
    exits: tuple
    permissions: dict  # permission -> roles
    description: str = ""


@dataclass
class Workflow:
    id: str
    title: str
    description: str
    initial_state: str
    permissions: tuple
    states: list
    transitions: list = field(default_factory=list)


VARIABLES = """\
  <variable variable_id="action" for_catalog="False" for_status="True" update_always="True">
    <description>Previous transition</description>
    <default><expression>transition/getId|nothing</expression></default>
    <guard />
  </variable>
  <variable variable_id="actor" for_catalog="False" for_status="True" update_always="True">
    <description>The ID of the user who performed the previous transition</description>
    <default><expression>user/getId</expression></default>
    <guard />
  </variable>
  <variable variable_id="comments" for_catalog="False" for_status="True" update_always="True">
    <description>Comment about the last transition</description>
    <default><expression>python:state_change.kwargs.get('comment', '')</expression></default>
    <guard />
  </variable>
  <variable variable_id="review_history" for_catalog="False" for_status="False"
      update_always="False">
    <description>Provides access to workflow history</description>
    <default><expression>state_change/getHistory</expression></default>
    <guard>
      <guard-permission>View</guard-permission>
    </guard>
  </variable>
  <variable variable_id="time" for_catalog="False" for_status="True" update_always="True">
    <description>When the previous transition was performed</description>
    <default><expression>state_change/getDateTime</expression></default>
    <guard />
  </variable>
"""


def _guard(transition):
    lines = [
        f"      <guard-permission>{escape(p)}</guard-permission>" for p in transition.permissions
    ]
    lines += [f"      <guard-role>{escape(r)}</guard-role>" for r in transition.roles]
    if transition.expr:
        lines.append(f"      <guard-expression>{escape(transition.expr)}</guard-expression>")
    if not lines:
        return "    <guard />"
    return "    <guard>\n" + "\n".join(lines) + "\n    </guard>"


def definition(workflow):
    """The ``definition.xml`` text of ``workflow``."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!-- Generated from the application's workflow_spec.py by scripts/make_workflows.py:",
        "     edit the description there, not this file. -->",
        f"<dc-workflow workflow_id={quoteattr(workflow.id)}",
        f"    title={quoteattr(workflow.title)}",
        f"    description={quoteattr(workflow.description)}",
        '    state_variable="review_state"',
        f"    initial_state={quoteattr(workflow.initial_state)}",
        '    manager_bypass="False"',
        '    i18n:domain="communesplone"',
        '    xmlns:i18n="http://xml.zope.org/namespaces/i18n">',
    ]
    out += [f"  <permission>{escape(p)}</permission>" for p in workflow.permissions]
    for state in workflow.states:
        out.append(
            f"  <state state_id={quoteattr(state.id)} title={quoteattr(state.title)}"
            ' i18n:attributes="title">'
        )
        if state.description:
            out.append(f"    <description>{escape(state.description)}</description>")
        out += [f"    <exit-transition transition_id={quoteattr(t)} />" for t in state.exits]
        for permission in workflow.permissions:
            roles = state.permissions[permission]
            out.append(f'    <permission-map name={quoteattr(permission)} acquired="False">')
            out += [f"      <permission-role>{escape(r)}</permission-role>" for r in roles]
            out.append("    </permission-map>")
        out.append("  </state>")
    for transition in workflow.transitions:
        out += [
            f"  <transition transition_id={quoteattr(transition.id)}"
            f" title={quoteattr(transition.title)}",
            f'      new_state={quoteattr(transition.new_state)} trigger="USER"',
            '      before_script="" after_script="" i18n:attributes="title">',
            f"    <description>{escape(transition.description)}</description>",
            '    <action url="%(content_url)s/content_status_modify'
            f'?workflow_action={transition.id}"'
            f' category="workflow" icon="">{escape(transition.title)}</action>',
            _guard(transition),
            "  </transition>",
        ]
    out.append(VARIABLES.rstrip("\n"))
    out.append("</dc-workflow>")
    return "\n".join(out) + "\n"


def check(workflow):
    """Raise ValueError where the description is inconsistent."""
    states = {state.id for state in workflow.states}
    transitions = {t.id for t in workflow.transitions}
    if workflow.initial_state not in states:
        raise ValueError(f"{workflow.id}: unknown initial state {workflow.initial_state}")
    for state in workflow.states:
        missing = set(workflow.permissions) - set(state.permissions)
        if missing:
            raise ValueError(f"{workflow.id}/{state.id}: no roles for {sorted(missing)}")
        unknown = set(state.exits) - transitions
        if unknown:
            raise ValueError(f"{workflow.id}/{state.id}: unknown transitions {sorted(unknown)}")
    for transition in workflow.transitions:
        if transition.new_state not in states:
            raise ValueError(f"{workflow.id}/{transition.id}: unknown state")


def titles(workflows):
    """The state and transition titles of ``workflows``, in order, without repeats."""
    found = []
    for workflow in workflows:
        found += [state.title for state in workflow.states]
        found += [transition.title for transition in workflow.transitions]
    return list(dict.fromkeys(found))


def plone_catalogue(workflows, translations, language):
    """A ``plone`` domain .po for ``workflows``' titles, from the ``communesplone`` ones.

    Plone's toolbar and history show state and transition titles through the
    ``plone`` domain; this catalogue gives them the translations that the
    ``communesplone`` catalogue (``translations``: {msgid: msgstr}) holds.
    """
    out = [
        "# Generated by scripts/make_workflows.py from communesplone.po: do not edit.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
        f'"Language: {language}\\n"',
        '"Domain: plone\\n"',
        "",
    ]
    for title in titles(workflows):
        if translations.get(title):
            out += [f'msgid "{title}"', f'msgstr "{translations[title]}"', ""]
    return "\n".join(out)
