# Two commands on a fresh machine: `make run` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test normalize bench clean

$(VENV)/installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/installed
	$(PY) -m pipeline run raw --out extracted

test: $(VENV)/installed
	$(PY) -m pytest --nbmake tests pipeline notebooks

bench: $(VENV)/installed
	$(PY) benchmarks/accuracy.py
	$(PY) benchmarks/normalization.py
	$(PY) benchmarks/robustness.py
	$(PY) benchmarks/throughput.py

clean:
	rm -rf $(VENV) build *.egg-info
