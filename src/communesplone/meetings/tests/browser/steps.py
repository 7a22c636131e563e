"""What the users do in the meetings' browser tests on the demo site."""

from communesplone.core.browsertesting import log_in
from communesplone.core.demo import PASSWORD


def as_user(page, portal_url, login, password=PASSWORD):
    """Log out, then log in as ``login`` (a demo user, by default) from the front page."""
    page.context.clear_cookies()
    log_in(page, portal_url, login, password)


def transition(page, obj_url, transition_id):
    """Fire a transition from the toolbar's state menu, as a user would."""
    page.goto(obj_url)
    link = page.locator(f"#workflow-transition-{transition_id}")
    assert link.count() == 1, f"{transition_id} is not offered at {obj_url}"
    page.goto(link.get_attribute("href"))
    page.wait_for_load_state()


def titled(body, start):
    """The item of ``body`` whose title starts with ``start``."""
    (item,) = [obj for obj in body.objectValues() if obj.title.startswith(start)]
    return item
