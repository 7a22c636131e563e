from communesplone.core.testing import EDESK
from communesplone.core.testing import layer_fixtures


globals().update(layer_fixtures(EDESK))
