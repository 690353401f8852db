"""helpcenter (free): categories and bilingual step-by-step articles seeded from Markdown, search (jieba + BM25), feedback on articles, QR codes to self-service pages.

Needs: account (for admin roles).
"""
