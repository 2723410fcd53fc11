"""The qualification catalogue: five specification texts parsed into one validated model.

Plain Python, testable without Rasa. Public API:

    from catalogue import load_catalogue
    cat = load_catalogue()                 # built once per process, cached
    cat.unit("K/506/2155")                 # -> Unit (every source's view of it)
    catalogue.lookup / catalogue.rules     # fuzzy lookup, rules of combination
"""
