from cadena_dashboard import ui

with ui.page("funding", "funding", "todo"):
    pass
