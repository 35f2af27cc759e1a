"""Item statistics against a response matrix worked out by hand, the flags, and the zero-variance guards."""

from __future__ import annotations

import math

import pytest

from certify.exams.messages import ExamInputError
from certify.exams.statistics import Flag, Response, item_statistics, reliability

# Six attempts of one five-item form (1 = correct). Item e is keyed wrongly: the weaker candidates get it.
#
#            a  b  c  d  e   total
#   ann      1  1  1  1  0     4
#   bob      1  1  1  1  0     4
#   cat      1  1  1  0  0     3
#   dan      1  1  0  0  1     3
#   eve      1  0  0  0  1     2
#   fay      0  0  0  0  0     0
#
# Facility p = correct / 6: a 5/6, b 4/6, c 3/6, d 2/6, e 2/6.
#
# Corrected point-biserial of e: item scores x = 0 0 0 1 1 0, rest scores (total - x) y = 4 4 3 2 1 0.
#   mean x = 1/3, mean y = 14/6 = 7/3
#   cov(x, y) = Σxy/n - mean x · mean y = 3/6 - 7/9 = -5/18
#   var x = 1/3 - 1/9 = 2/9;  var y = Σy²/n - (mean y)² = 46/6 - 49/9 = 20/9
#   r_pb = (-5/18) / sqrt(2/9 · 20/9) = (-5/18) / (sqrt(40)/9) = -5 / (2·sqrt(40)) = -0.3953
# Of a: x = 1 1 1 1 1 0, y = 3 3 2 2 1 0: mean x 5/6, mean y 11/6, Σxy/n = 11/6,
#   cov = 11/6 - 55/36 = 11/36, var x = 5/6 - 25/36 = 5/36, var y = 27/6 - 121/36 = 41/36,
#   r_pb = (11/36) / sqrt(5·41/36²) = 11/sqrt(205) = 0.7683
#
# KR-20: totals 4 4 3 3 2 0, mean 16/6 = 8/3, σ² = Σt²/N - mean² = 54/6 - 64/9 = 17/9.
#   Σpq = 5/6·1/6 + 4/6·2/6 + 3/6·3/6 + 2/6·4/6 + 2/6·4/6 = (5 + 8 + 9 + 8 + 8)/36 = 19/18
#   KR-20 = 5/4 · (1 - (19/18)/(17/9)) = 5/4 · (1 - 19/34) = 5/4 · 15/34 = 75/136 = 0.5515
#   SEM = σ · sqrt(1 - KR-20) = sqrt(17/9) · sqrt(61/136) = 1.3744 · 0.6697 = 0.9204
MATRIX = {
    "ann": "11110",
    "bob": "11110",
    "cat": "11100",
    "dan": "11001",
    "eve": "10001",
    "fay": "00000",
}


def responses(matrix: dict[str, str]) -> dict[str, dict[str, Response]]:
    """Each item's key is option `a`; a wrong answer chose `b`, except that fay left everything blank."""
    return {
        attempt: {
            item: Response(
                correct=mark == "1", chosen=() if attempt == "fay" else ("a" if mark == "1" else "b",)
            )
            for item, mark in zip("abcde", row, strict=True)
        }
        for attempt, row in matrix.items()
    }


@pytest.fixture(scope="module")
def stats():
    return item_statistics(responses(MATRIX))


def test_facility_and_exposure_match_the_hand_count(stats):
    assert {item: s.facility for item, s in stats.items()} == pytest.approx(
        {"a": 5 / 6, "b": 4 / 6, "c": 3 / 6, "d": 2 / 6, "e": 2 / 6}
    )
    assert {s.exposure for s in stats.values()} == {6}


def test_the_discrimination_is_the_point_biserial_against_the_rest_score(stats):
    assert stats["e"].discrimination == pytest.approx(-5 / (2 * math.sqrt(40)))
    assert stats["e"].discrimination == pytest.approx(-0.3953, abs=1e-4)
    assert stats["a"].discrimination == pytest.approx(11 / math.sqrt(205))


def test_option_shares_and_omissions_are_shares_of_the_attempts_that_showed_the_item(stats):
    # item e: dan and eve chose a, ann bob cat chose b, fay left it blank
    assert stats["e"].option_shares == pytest.approx({"a": 2 / 6, "b": 3 / 6})
    assert stats["e"].omitted == pytest.approx(1 / 6)


def test_a_wrongly_keyed_item_is_flagged_and_suspended_and_good_items_are_not(stats):
    assert stats["e"].flags == (Flag.WEAK_DISCRIMINATION, Flag.NEGATIVE_DISCRIMINATION)
    assert (stats["e"].review, stats["e"].suspend) == (True, True)
    assert all(not stats[item].review for item in "abcd")


def test_kr20_and_sem_match_the_hand_computation():
    result = reliability(responses(MATRIX))
    assert (result.attempts, result.items_per_attempt) == (6, 5)
    assert result.mean == pytest.approx(8 / 3)
    assert result.sd == pytest.approx(math.sqrt(17 / 9))
    assert result.kr20 == pytest.approx(75 / 136)
    assert result.sem == pytest.approx(math.sqrt(17 / 9) * math.sqrt(61 / 136))
    assert result.sem == pytest.approx(0.9204, abs=1e-4)


@pytest.mark.parametrize(
    ("column", "flags"),
    [
        # 2 of 10 correct: p = 0.20 < 0.30
        ("1100000000", (Flag.TOO_HARD,)),
        # 3 of 10: p = 0.30 is not below 0.30
        ("1110000000", ()),
        # 9 of 10: p = 0.90 is not above 0.90
        ("1111111110", ()),
        # 10 of 10: p = 1.0 > 0.90, and r_pb cannot be computed (the item does not vary)
        ("1111111111", (Flag.TOO_EASY,)),
    ],
)
def test_facility_flags_are_judged_on_the_exact_share(column, flags):
    # A second item ranks the candidates the same way, so that the rest score varies.
    matrix = {f"c{n}": mark + ("1" if n < 5 else "0") for n, mark in enumerate(column)}
    stats = item_statistics(
        {
            a: {item: Response(m == "1") for item, m in zip("xy", row, strict=True)}
            for a, row in matrix.items()
        }
    )
    assert stats["x"].flags == flags


def test_a_positive_but_weak_discrimination_is_flagged_for_review_only():
    # x: 1 1 0 0 1 0 against rest (y) 1 0 1 0 0 0: r = (6·1 - 3·2)/… = 0, below 0.20 but not negative
    matrix = {"p": "11", "q": "10", "r": "01", "s": "00", "t": "10", "u": "00"}
    stats = item_statistics(
        {
            a: {item: Response(m == "1") for item, m in zip("xy", row, strict=True)}
            for a, row in matrix.items()
        }
    )
    assert stats["x"].discrimination == pytest.approx(0.0)
    assert (stats["x"].flags, stats["x"].suspend) == ((Flag.WEAK_DISCRIMINATION,), False)


def test_no_variance_gives_no_discrimination_and_no_reliability_instead_of_a_crash():
    everyone_right = {n: {"x": Response(True), "y": Response(True)} for n in range(4)}
    assert item_statistics(everyone_right)["x"].discrimination is None
    result = reliability(everyone_right)
    assert (result.mean, result.sd, result.kr20, result.sem) == (2, 0, None, None)
    assert reliability({}).kr20 is None
    assert reliability({"only": {"x": Response(True), "y": Response(False)}}).kr20 is None


def test_kr20_over_forms_drawn_per_attempt_uses_each_attempts_own_items():
    # Two forms of two items sharing x. Per item, times shown · p·q: x shown 4 times, 3 right:
    # 4 · 3/4 · 1/4 = 3/4; y shown twice, 1 right: 2 · 1/2 · 1/2 = 1/2; z shown twice, never right: 0.
    # Mean Σpq per attempt = (3/4 + 1/2 + 0) / 4 = 5/16. Totals 2 1 1 0: mean 1, σ² = 6/4 - 1 = 1/2.
    # KR-20 = 2/1 · (1 - (5/16)/(1/2)) = 2 · 3/8 = 3/4.
    attempts = {
        1: {"x": Response(True), "y": Response(True)},
        2: {"x": Response(True), "y": Response(False)},
        3: {"x": Response(True), "z": Response(False)},
        4: {"x": Response(False), "z": Response(False)},
    }
    assert reliability(attempts).kr20 == pytest.approx(3 / 4)


def test_kr20_refuses_attempts_of_different_lengths():
    attempts = {1: {"x": Response(True)}, 2: {"x": Response(True), "y": Response(False)}}
    with pytest.raises(ExamInputError, match="KR-20 needs attempts of one length; these have 1, 2 items"):
        reliability(attempts)
