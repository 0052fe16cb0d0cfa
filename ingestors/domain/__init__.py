"""What Cadena knows about the region and its value chain: countries, GPUs, cloud regions, number and date
formats, the curated registry schema, entity resolution, layer classification and reading funding news.

Pure functions over plain data; the dbt Python models import from here and nowhere else in ``ingestors``.
"""
