"""Text similarity of a need to service texts (TF-IDF, cosine), for directories whose
taxonomy does not tell us what a service does, and to prefer the services whose words
fit the client's detail ("groceries" over "hot meals")."""

from __future__ import annotations

from collections.abc import Sequence


def similarities(query: str, texts: Sequence[str]) -> list[float]:
    """Cosine similarity of ``query`` to each text, in [0, 1]; all zero when no words match."""
    if not texts or not query.strip():
        return [0.0] * len(texts)
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([*texts, query])
    except ValueError:  # nothing but stop words
        return [0.0] * len(texts)
    scores = matrix[:-1] @ matrix[-1].T
    return [float(v) for v in scores.toarray().ravel()]
