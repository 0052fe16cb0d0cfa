"""Cadena's dashboard: a Streamlit app over the published warehouse file only."""
