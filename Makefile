# Two commands do everything on a fresh machine:
#   make run   — virtualenv, install, migrate the embedded SQLite database, demo data, then the
#                web server and the background worker (Ctrl-C stops both)
#   make test  — the whole suite (set DATABASE_URL=postgres://… to run it on PostgreSQL)

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
NODE_SDK := tests/sdk/node_modules/.package-lock.json
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: run test venv lint format clean chromium redis fonts bench bench-large messages

$(STAMP): pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

$(NODE_SDK): tests/sdk/package.json tests/sdk/package-lock.json
	npm ci --prefix tests/sdk --no-audit --no-fund --loglevel=error
	@touch $(NODE_SDK)

run: $(STAMP)
	@scripts/ensure-fonts || echo "(invoice PDFs in ja, zh-Hans and ar keep English labels)"
	APP_ENV=development DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput -v0
	APP_ENV=development DJANGO_DEBUG=1 PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(PY) manage.py seed_demo
	APP_ENV=development DJANGO_DEBUG=1 PUBLIC_BASE_URL=http://$(HOST):$(PORT) scripts/serve $(PY) $(HOST):$(PORT)

chromium:
	@scripts/ensure-chromium

redis:
	@scripts/ensure-redis

fonts:
	@scripts/ensure-fonts

test: $(STAMP) $(NODE_SDK) chromium redis fonts
	APP_ENV=test $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The hosted pages' catalogs (locale/<lang>/LC_MESSAGES/django.po): collect every marked string
# of the hosted templates and checkout.web (new ones arrive empty, fuzzy guesses are refused),
# then compile the .mo files, which are committed. Needs GNU gettext (msgfmt, xgettext).
LANGS := de fr es it nl pt_BR ja zh_Hans ar
messages: $(STAMP)
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	APP_ENV=test $(PY) manage.py makemessages $(foreach l,$(LANGS),-l $(l)) --no-obsolete \
		--add-location=file --ignore='.venv/*' --ignore='tests/*' --ignore='templates/admin/*' \
		--ignore='bench/*' --ignore='docs/*' --ignore='var/*' --ignore='static/*'
	APP_ENV=test $(PY) manage.py compilemessages --ignore='.venv/*'

# The benchmark (bench/, docs/performance.md): gunicorn with one sync worker on PostgreSQL,
# driven by wrk (installed from Debian when missing). BENCH_ARGS="--seconds 5 --only pay".
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pancake_bench
bench: $(STAMP) redis
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.run $(BENCH_ARGS)

# Empty database, then a large one (1,000,000 sessions, 200,000 paid orders, 10,000 products;
# BENCH_SCALE=0.1 seeds a tenth), the paths that must not slow down with data side by side.
BENCH_SCALE ?= 1
bench-large: $(STAMP) redis
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.run --compare --scale $(BENCH_SCALE) \
		--only "create-session,hosted page,pay,graphql orders,admin orders" $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var tests/sdk/node_modules
