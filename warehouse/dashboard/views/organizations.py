from cadena_dashboard import ui

with ui.page("organizations", "organizations", "todo"):
    pass
