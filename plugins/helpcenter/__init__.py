"""helpcenter (free): categories and bilingual step-by-step articles seeded from Markdown, search (jieba + BM25), feedback on articles, QR codes to self-service pages.

Dependencies are declared in `hooks.py` (`REQUIRES`, `OPTIONAL`) and checked at start-up.
"""
