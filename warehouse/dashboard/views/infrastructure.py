from cadena_dashboard import ui

with ui.page("infrastructure", "infrastructure", "todo"):
    pass
