from communesplone.core.testing import layer_fixtures
from communesplone.core.testing import WEBSITE


globals().update(layer_fixtures(WEBSITE))
