"""What venueops knows of OpenReview itself, apart from talking to it over HTTP (``venueops.api``).

    rules.py   what the API refuses in a posted object (ids, integers, dates, regular expressions,
               param specifiers), checked by ``validate`` and before ``apply`` writes anything
    files.py   the scripts and web pages openreview-py ships, which compiled objects name (``$file``)
"""
