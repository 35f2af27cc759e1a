"""A small standard that uses ratios, maturity phases and cross-checks, as YAML (the format's own path)."""

from certify.standards.format import load_standard

TEXT = """\
code: rel
version: "1.0"
title: {ru: "Связи", en: "Relations"}
description: {ru: "Описание", en: "Description"}
validity_months: 24
eligibility:
  - id: elig_founded
    title: {ru: "Создан", en: "Founded"}
    rule: "answered(elig_founded_on) or not answered(elig_founded_on)"
    evidence: {ru: "Соглашение", en: "Agreement"}
    questions:
      - {id: elig_founded_on, type: date, label: {ru: "Дата создания", en: "Founded on"}, required: false}
      - {id: elig_staff_fte, type: decimal, label: {ru: "Штат", en: "Staff"}, minimum: 0}
levels:
  - {id: basic, name: {ru: "Базовый", en: "Basic"}, rank: 1, min_total: 40}
phases:
  founded: elig_founded_on
  list:
    - {id: emerging, name: {ru: "Становление", en: "Emerging"}, under_years: 3}
    - {id: growing, name: {ru: "Рост", en: "Growing"}, under_years: 7}
    - {id: mature, name: {ru: "Зрелость", en: "Mature"}}
cross_checks:
  - id: staff_same
    kind: equal
    questions: [elig_staff_fte, team_fte]
    message: {ru: "Штат указан по-разному", en: "Staff given twice differently"}
  - id: shares_at_most_100
    kind: sum_at_most
    questions: [share_business, share_science, share_other]
    limit: 100
    message: {ru: "Доли больше 100 %", en: "Shares over 100 %"}
areas:
  - id: team
    title: {ru: "Команда", en: "Team"}
    weight: 100
    indicators:
      - id: team_size
        title: {ru: "Размер", en: "Size"}
        weight: 100
        guidance: {ru: "Совет", en: "Advice"}
        rubric: [{ru: "0", en: "0"}, {ru: "1", en: "1"}, {ru: "2", en: "2"},
                 {ru: "3", en: "3"}, {ru: "4", en: "4"}]
        expected_evidence: {ru: "Штатное расписание", en: "Staff list"}
        questions:
          - {id: team_fte, type: decimal, label: {ru: "Ставки", en: "FTE"}, minimum: 0}
          - {id: members, type: integer, label: {ru: "Участники", en: "Participants"}, minimum: 0}
          - id: members_joined
            type: integer
            label: {ru: "Вступили за год", en: "Joined this year"}
            minimum: 0
            bands:
              - {maximum: 5, points: 0}
              - {minimum: 5, maximum: 10, points: 2}
              - {minimum: 10, points: 4}
            phase_bands:
              emerging:
                - {maximum: 2, points: 0}
                - {minimum: 2, maximum: 4, points: 2}
                - {minimum: 4, points: 4}
          - id: fte_per_10
            type: ratio
            label: {ru: "Ставок на 10 участников", en: "FTE per 10 participants"}
            numerator: team_fte
            denominator: members
            per: 10
            bands:
              - {maximum: 0.5, points: 0}
              - {minimum: 0.5, points: 4}
          - {id: share_business, type: percentage, label: {ru: "Бизнес", en: "Business"}, maximum: 100}
          - {id: share_science, type: percentage, label: {ru: "Наука", en: "Science"}, maximum: 100}
          - id: share_other
            type: percentage
            label: {ru: "Прочие", en: "Other"}
            minimum: 0
            maximum: 100
            visible_if: "members > 0"
"""


def relations_standard():
    return load_standard(TEXT, source_name="relations.yaml")
