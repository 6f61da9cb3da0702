# Twitch Guide. `make run` and `make test` are all a fresh clone needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

# Local commands run in debug mode with a development key unless told otherwise;
# the test suite runs with DEBUG off, as production does.
run migrate knowledge superuser build-knowledge check backup restore: export DJANGO_DEBUG ?= true

.PHONY: backup restore install run serve test lint format check migrate knowledge superuser build-knowledge clean bench bench-search lock upgrade screenshots lighthouse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# requirements.txt and requirements-dev.txt pin every package to an exact version,
# compiled from the short *.in files: `make lock` after editing those, `make
# upgrade` to move every pin to the newest release the *.in ranges allow.
PIP_COMPILE = $(BIN)/pip-compile --quiet --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host

lock: $(STAMP)
	$(PIP_COMPILE) --output-file=requirements.txt requirements.in
	$(PIP_COMPILE) --output-file=requirements-dev.txt requirements-dev.in

upgrade: $(STAMP)
	$(PIP_COMPILE) --upgrade --output-file=requirements.txt requirements.in
	$(PIP_COMPILE) --upgrade --output-file=requirements-dev.txt requirements-dev.in

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

knowledge: migrate
	$(BIN)/python manage.py load_knowledge

# The development server, and beside it the schedule: scheduled articles go live
# and leave the site on time, without cron. Both stop together.
run: knowledge
	export DJANGO_DEBUG=$${DJANGO_DEBUG:-true}; \
	$(BIN)/python manage.py publish_scheduled --loop & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production configuration on loopback: gunicorn, DEBUG off, compressed and
# hashed static files served by whitenoise, everything from the environment. Plain
# HTTP on 127.0.0.1, so the HTTPS redirect and Secure-only cookies are off unless
# set; without DJANGO_SECRET_KEY a throwaway key is made for this run.
serve: export DJANGO_DEBUG = false
serve: export DJANGO_SECURE_SSL_REDIRECT ?= false
serve: export DJANGO_SECURE_COOKIES ?= false
serve: export DJANGO_SECRET_KEY ?= $(shell $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))")
serve: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_knowledge
	PORT=$(PORT) $(BIN)/gunicorn twitchsite.wsgi

# A consistent backup of all data in backups/; restore it into an empty database
# with `make restore BACKUP=backups/<file>.xml`.
backup: $(STAMP)
	$(BIN)/python manage.py backup_site

restore: migrate
	@test -n "$(BACKUP)" || (echo "Usage: make restore BACKUP=backups/<file>.xml"; exit 2)
	$(BIN)/python manage.py restore_site "$(BACKUP)"

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml templates

check: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py build_knowledge --check
	$(BIN)/python manage.py check

build-knowledge: $(STAMP)
	$(BIN)/python manage.py build_knowledge

superuser: migrate
	$(BIN)/python manage.py createsuperuser

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles

# Full-page screenshots of every kind of page, 1280 and 375 px wide, light, dark and
# print, in screenshots/: from the production configuration on a free port over a
# scratch database (tools/serve.py), or from BASE_URL when it is set.
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py $(if $(BASE_URL),--base-url $(BASE_URL))

# Lighthouse (npm's lighthouse, with Debian's Chromium) on the main kinds of page,
# phone and desktop: the scores, the audits that cost points, and the reports in
# lighthouse-reports/. tests/site/test_lighthouse.py requires 100 everywhere.
lighthouse: $(STAMP)
	$(BIN)/python tools/lighthouse.py $(if $(BASE_URL),--base-url $(BASE_URL))

# The production server under wrk (Debian's `wrk`), cold and warm, against a scratch
# database filled at scale: bench/site.sqlite3, or with DATABASE_URL set to a
# PostgreSQL server, its database twitchsite_bench. Figures go to bench/results.json.
# Then every kind of reader page in-process, uncached, at each of SCALES (multiples
# of the 1x data: SCALES=1,10,100), printed as a table (bench/pages.py).
SCALES ?= 1
bench: $(STAMP)
	@command -v wrk >/dev/null || (echo "make bench needs wrk: apt-get install wrk"; exit 2)
	$(BIN)/python bench/site.py
	$(BIN)/python bench/pages.py --scales $(SCALES)

BENCH_PG_ADMIN ?= postgres://postgres@127.0.0.1:5432/postgres
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/twitchsite_bench
BENCH_ARTICLES ?= 10000

# Search latency over synthetic content at scale, on SQLite and on PostgreSQL.
bench-search: export DJANGO_DEBUG = false
bench-search: export DJANGO_SECRET_KEY ?= bench-only-secret-key
bench-search: export DJANGO_ALLOWED_HOSTS = testserver
bench-search: export DJANGO_SEARCH_RATE_LIMIT = 1000000
bench-search: export DJANGO_SECURE_SSL_REDIRECT = false
bench-search: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput -v0
	rm -f bench/search.sqlite3
	DATABASE_URL=sqlite:///bench/search.sqlite3 $(BIN)/python manage.py migrate -v0
	DATABASE_URL=sqlite:///bench/search.sqlite3 $(BIN)/python bench/search.py \
		--articles $(BENCH_ARTICLES) --output bench/search-sqlite.json
	$(BIN)/python bench/recreate_database.py "$(BENCH_PG_ADMIN)" twitchsite_bench
	DATABASE_URL=$(BENCH_PG_URL) $(BIN)/python manage.py migrate -v0
	DATABASE_URL=$(BENCH_PG_URL) $(BIN)/python bench/search.py \
		--articles $(BENCH_ARTICLES) --output bench/search-postgresql.json
