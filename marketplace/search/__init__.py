"""Search: find live listings by Chinese, pinyin or English words, with facets.

- analysis: words of shop text (jieba, pinyin, English stems), the same for both backends
- documents: a listing's search document, built from the database and the badge rule
- query: what the shopper asked, made safe; backends/: Whoosh (default) and PostgreSQL
- sync: after-commit updates with a durable outbox; services: search, reindex, check
- views: the /search page; commands: `flask search reindex | check | sync`
"""
