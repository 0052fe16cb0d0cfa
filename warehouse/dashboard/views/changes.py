from cadena_dashboard import ui

with ui.page("changes", "changes", "todo"):
    pass
