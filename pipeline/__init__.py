"""vnpipe: a Vietnamese NLP pipeline for government and political news.

>>> from pipeline import load
>>> nlp = load()
>>> doc = nlp("Hội nghị tổng kết phong trào thi đua yêu nước năm 2023.")
>>> [t.norm for t in doc.tokens][:3]
['hội nghị', 'tổng kết', 'phong trào']
"""
__version__ = "0.1.0"


def load(*args, **kwargs):
    """Build the annotation pipeline; see :func:`pipeline.nlp.load`."""
    from .nlp import load as _load

    return _load(*args, **kwargs)


__all__ = ["load", "__version__"]
