"""The attestation of cluster managers as persons (issue 16): the candidate's application and admission.

A personal scheme is a standard of kind `person` (docs/attestation.md); its application is an
`Application` whose subject is a person, filled through the questionnaire's own pages. This package adds
what the person's path has and the organisation's has not: the schemes' list, the consent before applying,
and the coordinator's admission (admit, or return with a reason per requirement).
"""
