"""Sanity check of the emotion lexicon on real reviews (food delivery, labelled positive or
negative): negative reviews must read as more upset than positive ones. Read from ../shared/data
at test time (it may not be redistributed); the test fails, naming the path, where it is absent."""

import csv

from kesu.insights.emotion import analyse


def test_negative_reviews_read_angrier_than_positive_ones(shared_data):
    with open(shared_data("complaints-zh/waimai_reviews.csv"), encoding="utf-8-sig", newline="") as handle:
        rows = [(row["label"], row["review"]) for row in csv.DictReader(handle)]
    by_label: dict[str, list[float]] = {"0": [], "1": []}
    not_calm: dict[str, int] = {"0": 0, "1": 0}
    for label, review in rows:
        result = analyse(review)
        by_label[label].append(result.intensity)
        not_calm[label] += result.value != "calm"
    negative, positive = by_label["0"], by_label["1"]
    assert len(negative) > 1000 and len(positive) > 1000
    mean_negative = sum(negative) / len(negative)
    mean_positive = sum(positive) / len(positive)
    share_negative = not_calm["0"] / len(negative)
    share_positive = not_calm["1"] / len(positive)
    print(
        f"mean intensity negative {mean_negative:.2f} positive {mean_positive:.2f}; "
        f"not calm: negative {share_negative:.1%} positive {share_positive:.1%}"
    )
    assert mean_negative > 2 * mean_positive
    assert share_negative > share_positive + 0.15


def test_upset_or_angry_on_negative_reviews_meets_the_goal(shared_data):
    """Issue 15's goal on another domain: recall ≥ 0.80 and precision ≥ 0.85 of upset-or-angry on
    the negative reviews (positive reviews are the other class; their labels are noisy). Measured
    0.813 / 0.911 since the review-trained model (0.888 / 0.881 before it: the model gave up some
    recall here for precision on other trades' reviews, 0.68 → 0.87)."""
    with open(shared_data("complaints-zh/waimai_reviews.csv"), encoding="utf-8-sig", newline="") as handle:
        rows = [(row["label"], row["review"]) for row in csv.DictReader(handle)]
    flagged = [(label, analyse(review).value != "calm") for label, review in rows]
    tp = sum(1 for label, up in flagged if up and label == "0")
    fp = sum(1 for label, up in flagged if up and label == "1")
    negatives = sum(1 for label, _ in flagged if label == "0")
    recall, precision = tp / negatives, tp / (tp + fp)
    print(f"upset-or-angry on negative reviews: recall {recall:.3f} precision {precision:.3f}")
    assert recall >= 0.80 and precision >= 0.89
