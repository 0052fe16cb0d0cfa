from cadena_dashboard import ui

with ui.page("gpus", "gpus", "todo"):
    pass
