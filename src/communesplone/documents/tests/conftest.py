from communesplone.core.testing import DOCUMENTS
from communesplone.core.testing import layer_fixtures


globals().update(layer_fixtures(DOCUMENTS))
