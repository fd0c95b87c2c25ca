# jiraops.jira: the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
# make demo and make install need only what the collection needs at run time (requirements.txt), in a small venv of
# their own, so that a first `make demo` does not wait for the test tool chain; make test uses .venv (requirements-dev.txt).
RUN_VENV := $(CURDIR)/.venv-runtime
RUN_BIN := $(RUN_VENV)/bin
# make jirasim: one Jira double on a fixed port, for the README's walkthroughs (`make jirasim JIRASIM_PORT=8081` if busy).
JIRASIM_PORT ?= 8080
# The oldest supported ansible-core runs units and integration too.
BIN_OLDEST := $(CURDIR)/.venv-2.16/bin
COLLECTIONS := $(CURDIR)/build/collections
TEST_ROOT ?= $(or $(TMPDIR),/tmp)/jiraops-jira-test
TEST_TREE := $(TEST_ROOT)/ansible_collections/jiraops/jira
# The style gate's ruff (ruff.toml): `make style RUFF=/path/to/ruff` to use another one.
RUFF ?= $(BIN)/ruff
ANSIBLE_TEST := cd $(TEST_TREE) && $(BIN)/ansible-test
GET_PIP_CACHE := $(HOME)/.ansible/test/cache/get_pip_24_2.py
export ANSIBLE_NOCOLOR := 1

.PHONY: style venv venv-runtime venv-oldest units-oldest integration-oldest install install-dev demo jirasim getting-started test test-tree sanity units integration jirasim-tests lint changelog-lint ee-check docs-check safety chaos chaos-seeds bench bench-smoke clean

venv: $(BIN)/.installed
$(BIN)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv-runtime: $(RUN_BIN)/.installed
# The venv gets no pip of its own: $(PYTHON)'s pip installs into it (pip >= 22.3, --python), which halves the time of
# a first make demo. Without such a pip, the venv's own is set up and used.
$(RUN_BIN)/.installed: requirements.txt
	$(PYTHON) -m venv --without-pip $(RUN_VENV)
	$(PYTHON) -m pip --python $(RUN_BIN)/python install --quiet --disable-pip-version-check -r requirements.txt \
	  || { $(RUN_BIN)/python -m ensurepip --default-pip > /dev/null && \
	       $(RUN_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt; }
	touch $@

venv-oldest: $(BIN_OLDEST)/.installed
$(BIN_OLDEST)/.installed: requirements-2.16.txt
	$(PYTHON) -m venv $(dir $(BIN_OLDEST))
	$(BIN_OLDEST)/pip install --quiet --disable-pip-version-check -r requirements-2.16.txt
	touch $@

# Build the collection with the ansible-galaxy of $(1) and install it into build/collections.
define build_collection
	rm -rf build && mkdir -p build
	$(1)/ansible-galaxy collection build --output-path build .
	$(1)/ansible-galaxy collection install --force -p $(COLLECTIONS) build/jiraops-jira-*.tar.gz
endef

install: venv-runtime
	$(call build_collection,$(RUN_BIN))

# The same build for the test targets, with the test venv's ansible-galaxy (no second venv during make test).
install-dev: venv
	$(call build_collection,$(BIN))

demo: install
	PATH=$(RUN_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(RUN_BIN)/python demo/run_demo.py

# jirasim needs only the standard library: any Python 3 runs it. Ctrl-C stops it.
jirasim:
	PYTHONPATH=tests $(PYTHON) -m jirasim --port $(JIRASIM_PORT)

# ansible-test needs the tree at .../ansible_collections/jiraops/jira; copy what git tracks (or would track) there.
test-tree: $(GET_PIP_CACHE)
	rm -rf $(TEST_ROOT) && mkdir -p $(TEST_TREE)
	git ls-files -co --exclude-standard | tar -cf - --ignore-failed-read -T - | tar -xf - -C $(TEST_TREE)

# ansible-test --venv downloads a get-pip script from a host outside the package registries; it looks in its cache first.
$(GET_PIP_CACHE): tests/ci/get_pip_bootstrap.py
	mkdir -p $(dir $@) && cp $< $@

sanity: venv test-tree
	$(ANSIBLE_TEST) sanity --venv --python 3.11 --color no

units: venv test-tree
	$(ANSIBLE_TEST) units --local --python 3.11 --color no

integration: venv test-tree
	$(ANSIBLE_TEST) integration --local --python 3.11 --color no

units-oldest: venv-oldest test-tree
	cd $(TEST_TREE) && $(BIN_OLDEST)/ansible-test units --local --python 3.11 --color no

integration-oldest: venv-oldest test-tree
	cd $(TEST_TREE) && $(BIN_OLDEST)/ansible-test integration --local --python 3.11 --color no

jirasim-tests: venv
	PYTHONPATH=tests $(BIN)/python -m pytest -q -p no:cacheprovider tests/jirasim/tests

# A newcomer's path: the README's walkthroughs run as written from a fresh copy (make install, jirasim, vault),
# no secret left in the checkout reaches git or the tarball, make jirasim and its busy-port message.
getting-started: venv
	PATH=$(BIN):$$PATH $(BIN)/python -m pytest -q -p no:cacheprovider tests/getting_started

# The style gate (ruff.toml): every Python file git tracks or would track, plugins, tests, bench, demo and docs alike.
style: venv
	git ls-files -co --exclude-standard -z -- '*.py' | xargs -0 $(RUFF) check --no-cache

lint: venv
	PATH=$(BIN):$$PATH $(BIN)/ansible-lint

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

# The benchmark runs end to end on a tiny size (no timing assertions; `make bench` measures).
bench-smoke: install-dev
	PATH=$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/python -m pytest -q -p no:cacheprovider tests/bench_smoke

# Credential safety: circuit breaker over many hosts, leak scan at -vvvv, hostile input, faults and load.
safety: install-dev
	PATH=$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/python -m pytest -q -p no:cacheprovider tests/safety

# Chaos: seeded scenarios (playbooks drawn from constructs) against jirasim behind a fault-injecting proxy, each
# checked against every invariant (tests/chaos/README.md). `make chaos CHAOS_SCENARIOS=200 CHAOS_SEED=42` for more or
# a fixed run; a failing scenario prints its replay command. chaos-seeds runs the fixed seeds (part of make test).
CHAOS_SCENARIOS ?= 50
CHAOS_SEED ?=
CHAOS_WORKERS ?= 1
chaos: install-dev
	PATH=$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/python tests/chaos/run_chaos.py \
	  --scenarios $(CHAOS_SCENARIOS) --workers $(CHAOS_WORKERS) $(if $(CHAOS_SEED),--seed $(CHAOS_SEED))

chaos-seeds: install-dev
	PATH=$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/python -m pytest -q -p no:cacheprovider tests/chaos

# The execution-environment metadata is what ansible-builder reads: CA certificates, and requests (the modules'
# HTTP library).
ee-check: install-dev
	$(BIN)/ansible-builder introspect --sanitize $(COLLECTIONS) > build/ee-introspect.txt
	cat build/ee-introspect.txt
	grep -q "ca-certificates \[platform:rpm platform:dpkg\]  # from collection jiraops.jira" build/ee-introspect.txt
	grep -qF -- "- 'requests>=2.28  # from collection jiraops.jira'" build/ee-introspect.txt

# The docs: antsibull-docs lints the plugin docs; ansible-doc renders each module; each module's EXAMPLES run against jirasim.
docs-check: install-dev
	PATH=$(BIN):$$PATH $(BIN)/antsibull-docs lint-collection-docs --plugin-docs $(COLLECTIONS)/ansible_collections/jiraops/jira
	PATH=$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/python -m pytest -q -p no:cacheprovider tests/docs

test: venv style jirasim-tests getting-started sanity units integration units-oldest integration-oldest safety chaos-seeds lint changelog-lint ee-check docs-check bench-smoke

bench: install-dev
	PATH=$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/python bench/run_bench.py

clean:
	rm -rf build $(TEST_ROOT)
