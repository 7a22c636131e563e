# CommunesPlone: the two commands are `make run` and `make test`.
# bootstrap.py does the work; these targets only name it.

PYTHON ?= python3

.PHONY: run setup test lint format i18n constraints versions buildout clean cluster-start cluster-stop

run:  ## install what is missing, create the site where absent, serve on :8080
	$(PYTHON) bootstrap.py run

setup:  ## the same, without serving
	$(PYTHON) bootstrap.py setup

test:  ## install what the tests need, run ruff and the whole suite
	$(PYTHON) bootstrap.py test $(ARGS)

lint:
	.venv/bin/ruff check src scripts benchmarks bootstrap.py conftest.py
	.venv/bin/ruff format --check src scripts benchmarks bootstrap.py conftest.py

format:
	.venv/bin/ruff check --fix src scripts benchmarks bootstrap.py conftest.py
	.venv/bin/ruff format src scripts benchmarks bootstrap.py conftest.py

i18n:  ## rebuild the .pot from the sources and sync the fr, nl, en catalogues
	cd src/communesplone && ../../.venv/bin/i18ndude rebuild-pot --pot locales/communesplone.pot --create communesplone .
	cd src/communesplone && ../../.venv/bin/i18ndude sync --pot locales/communesplone.pot locales/*/LC_MESSAGES/communesplone.po

constraints:  ## re-freeze constraints.txt from the working .venv (after adding a dependency)
	( echo "# Every distribution of the working set, frozen from a verified install."; \
	  echo "# Regenerate with: make constraints   (never edit by hand)"; \
	  .venv/bin/pip freeze --all --exclude-editable | grep -v -E '^(pip|communesplone)==' ) > constraints.txt

versions:  ## versions.cfg for buildout, generated from constraints.txt
	$(PYTHON) bootstrap.py versions

buildout: versions  ## build the buildout (ZEO server + instances) and check that it answers
	bash scripts/buildout_check.sh

cluster-start:  ## PostgreSQL, 2 instances on RelStorage, HAProxy on :8090 (ARGS="--varnish")
	.venv/bin/python scripts/cluster.py start $(ARGS)

cluster-stop:
	.venv/bin/python scripts/cluster.py stop

clean:
	rm -rf .venv bin parts eggs develop-eggs .installed.cfg versions.cfg test-output
	rm -rf src/communesplone/edesk/tests/oidc_provider/node_modules
