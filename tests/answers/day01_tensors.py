ANSWERS = {
    "ex1_answer": {
        "correct": {"full": "adjustment = torch.full((2, 3), 2)\nadjusted = temperatures + adjustment",
                    "ones": "adjustment = torch.ones(2, 3, dtype=torch.int64) * 2\nadjusted = temperatures + adjustment"},
        "wrong": {"float": ("adjustment = torch.ones(2, 3) * 2\nadjusted = temperatures + adjustment", "torch.ones(...) * 2 and 2.0 give floats")},
    },
}
