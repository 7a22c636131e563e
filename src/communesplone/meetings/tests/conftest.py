from communesplone.core.testing import layer_fixtures
from communesplone.core.testing import MEETINGS


globals().update(layer_fixtures(MEETINGS))
