# Two commands for a newcomer:  make run  (set up + build offline)  and  make test.
# uv is installed from PyPI with the machine's python3 if it is not there yet.
UV := python3 -m uv
export UV_PYTHON_DOWNLOADS := never
# Byte-compile at install: imports are then fast even with PYTHONDONTWRITEBYTECODE set.
export UV_COMPILE_BYTECODE := 1

.PHONY: setup run refresh test dev dashboard status lint bench generate

setup:  ## quiet unless something goes wrong: uv's progress and byte-compile counts are not shown
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv>=0.9,<1"
	@$(UV) sync --quiet --frozen --python python3  # with the dev group (pytest, ruff, dg, ...)
	@$(UV) run --quiet cadena dbt-prepare >/dev/null

run: setup  ## build the warehouse offline from the sample snapshots
	@$(UV) run --quiet cadena refresh --offline

refresh: setup  ## fetch the live sources (needs internet)
	$(UV) run cadena refresh

test: setup  ## lint, then the whole suite on two processes (each built warehouse stays on one)
	$(UV) run ruff check .
	$(UV) run pytest -n 2 --dist loadgroup

status:
	$(UV) run cadena status

dev: setup  ## Dagster UI on http://localhost:3000
	mkdir -p warehouse/dagster_home
	test -f warehouse/dagster_home/dagster.yaml || cp orchestration/dagster.yaml warehouse/dagster_home/dagster.yaml
	DAGSTER_HOME=$(CURDIR)/warehouse/dagster_home $(UV) run dg dev

dashboard: setup  ## the dashboard on http://localhost:8501, reading the published warehouse
	$(UV) run streamlit run warehouse/dashboard/app.py

lint:
	$(UV) run ruff check .

bench: setup
	$(UV) run python warehouse/benchmarks/bench_refresh.py

generate: setup  ## rewrite what derives from the Source declarations (dbt sources YAML, README table, pinned graph)
	$(UV) run cadena generate
