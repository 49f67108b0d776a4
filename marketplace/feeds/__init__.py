"""Product and local-inventory feeds for search engines (Google Merchant Center's TSV formats).

No models: the feeds are read from the catalogue, the shops and their offers.
"""
