from communesplone.core.testing import layer_fixtures
from communesplone.core.testing import URBAN


globals().update(layer_fixtures(URBAN))
