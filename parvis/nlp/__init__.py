"""French text tools shared by the studio, the inbox and participation.

Plain functions over `str`, no Django: sentences and words (`text`), lemmas and
stopwords (`lemmas`), readability (`readability`), facts such as dates, times, amounts
and places (`facts`), copy detection (`shingles`), plain language (`plain`), hashtags
(`hashtags`) and topics of competence (`topics`). Data files live in `data/`.
"""
