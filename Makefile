# newslens: `make figures` regenerates every figure, `make test` checks everything, `make lab` explores.
# Both set up .venv from requirements.txt first (once; again when requirements.txt changes).
#   make figures SEEDS=DIR FIGURES=DIR   runs the notebooks on another folder of articles

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEEDS ?=
FIGURES ?=
RUN_ENV := NEWSLENS_SEEDS="$(if $(SEEDS),$(abspath $(SEEDS)))" \
	NEWSLENS_FIGURES="$(if $(FIGURES),$(abspath $(FIGURES)))" MPLBACKEND=Agg

.PHONY: install figures test lint lab clean

install: $(STAMP)

# The library is byte-compiled once here: where PYTHONDONTWRITEBYTECODE is set, Python would
# otherwise compile it anew on every run (about 50 ms of each command). The gazetteer and the
# large lexicons are built once too, and kept beside the bytecode (about 0.2 s of each run).
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (newslens)" >/dev/null
	$(BIN)/python -m compileall -q lib
	$(BIN)/python -c "from newslens.pipeline import prepare; prepare()"
	touch $(STAMP)

figures: $(STAMP)
	$(RUN_ENV) $(BIN)/python -m newslens.notebooks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)/notebooks" \
		$(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf .cache .pytest_cache .ruff_cache
