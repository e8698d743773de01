"""Alternative answers for Day 06 (loss functions): correct ones written other ways, and classic mistakes."""


def one_hot(body: str) -> str:
    return f"def one_hot_by_hand(labels, num_classes):\n    {body}\n"


GIVEN_Y = "y = [2, 0, 1, 2]   # the class of each sample; there are 4 classes: 0, 1, 2 and 3\n"


def cross_entropy(body: str) -> str:
    return f"def cross_entropy_by_hand(logits, target):\n    {body}\n"


def classification(body: str) -> str:
    return f"def classification_loss(scores, target_classes):\n    {body}\n"


MSE_TORCH = ("def mse_torch(predictions, targets):\n"
             "    return nn.MSELoss()(torch.tensor(predictions, dtype=torch.float32), "
             "torch.tensor(targets, dtype=torch.float32))\n")
MSE_NUMPY = ("def mse_numpy(predictions, targets):\n"
             "    return np.mean((np.array(predictions) - np.array(targets)) ** 2)\n")


def mse(numpy_body: str | None = None, torch_body: str | None = None) -> str:
    numpy_part = f"def mse_numpy(predictions, targets):\n    {numpy_body}\n" if numpy_body else MSE_NUMPY
    torch_part = f"def mse_torch(predictions, targets):\n    {torch_body}\n" if torch_body else MSE_TORCH
    return numpy_part + "\n\n" + torch_part


def better(body: str) -> str:
    return f"def pick_better(pred_a, pred_b, truth, loss_fn):\n    {body}\n"


ANSWERS = {
    "ex1_answer": {
        "correct": {
            "rows of the identity": one_hot("return torch.eye(num_classes)[labels]"),
            "scatter": one_hot("index = torch.tensor(labels).unsqueeze(1)\n"
                               "    return torch.zeros(len(labels), num_classes).scatter_(1, index, 1.0)"),
            "nested lists": one_hot("return torch.tensor([[1.0 if c == label else 0.0 for c in range(num_classes)] "
                                    "for label in labels])"),
            "index assignment": one_hot("encoded = torch.zeros(len(labels), num_classes)\n"
                                        "    encoded[torch.arange(len(labels)), labels] = 1\n    return encoded"),
        },
        "wrong": {
            "columns from the labels": (one_hot("encoded = torch.zeros(len(labels), max(labels) + 1)\n"
                                                "    for row, label in enumerate(labels):\n"
                                                "        encoded[row, label] = 1.0\n    return encoded"),
                                        "not max(labels) + 1"),
            "integers": (one_hot("encoded = torch.zeros(len(labels), num_classes, dtype=torch.long)\n"
                                 "    for row, label in enumerate(labels):\n        encoded[row, label] = 1\n"
                                 "    return encoded"), "Return floats"),
            "row and column swapped": (one_hot("encoded = torch.zeros(len(labels), num_classes)\n"
                                               "    for row, label in enumerate(labels):\n"
                                               "        encoded[label, row] = 1.0\n    return encoded"),
                                       "then set encoded[row, label] = 1.0"),
            "one row per class": (one_hot("encoded = torch.zeros(num_classes, len(labels))\n"
                                          "    for row, label in enumerate(labels):\n"
                                          "        encoded[label, row] = 1.0\n    return encoded"),
                                  "One row per label and one column per class"),
        },
    },
    "ex2_answer": {
        "correct": {
            "as_tensor, positional classes": GIVEN_Y + "y_one_hot = F.one_hot(torch.as_tensor(y), 4)",
            "floats": GIVEN_Y + "y_one_hot = F.one_hot(torch.tensor(y), num_classes=4).float()",
            "full module name": GIVEN_Y + "y_one_hot = torch.nn.functional.one_hot(torch.LongTensor(y), num_classes=4)",
        },
        "wrong": {
            "no num_classes": (GIVEN_Y + "y_one_hot = F.one_hot(torch.tensor(y))", "pass num_classes=4"),
            "three classes": (GIVEN_Y + "y_one_hot = F.one_hot(torch.tensor(y), num_classes=3)", "pass num_classes=4"),
            "the labels themselves": (GIVEN_Y + "y_one_hot = torch.tensor(y)", "pass num_classes=4"),
            "a list of lists": (GIVEN_Y + "y_one_hot = F.one_hot(torch.tensor(y), num_classes=4).tolist()",
                                "F.one_hot needs a tensor of class indices"),
        },
    },
    "ex3_answer": {
        "correct": {
            "gather": cross_entropy("probs = torch.softmax(logits, dim=-1)\n"
                                    "    p_true = probs.gather(1, target.unsqueeze(1)).squeeze(1)\n"
                                    "    return -torch.log(p_true).mean()"),
            "log_softmax": cross_entropy("log_probs = torch.log_softmax(logits, dim=1)\n"
                                         "    return -log_probs[range(len(target)), target].mean()"),
            "a loop": cross_entropy("probs = torch.softmax(logits, dim=-1)\n    losses = []\n"
                                    "    for i in range(len(target)):\n"
                                    "        losses.append(-torch.log(probs[i, target[i]]))\n"
                                    "    return torch.stack(losses).mean()"),
            "logsumexp": cross_entropy("picked = logits[torch.arange(len(target)), target]\n"
                                       "    return (torch.logsumexp(logits, dim=-1) - picked).mean()"),
        },
        "wrong": {
            "no minus": (cross_entropy("probs = torch.softmax(logits, dim=-1)\n"
                                       "    return torch.log(probs[torch.arange(len(target)), target]).mean()"),
                         "Cross-entropy is MINUS the log of the probability"),
            "no log": (cross_entropy("probs = torch.softmax(logits, dim=-1)\n"
                                     "    return probs[torch.arange(len(target)), target].mean()"),
                       "Take the log of the probability"),
            "summed": (cross_entropy("probs = torch.softmax(logits, dim=-1)\n"
                                     "    return -torch.log(probs[torch.arange(len(target)), target]).sum()"),
                       "Return the MEAN over the samples, not the sum"),
            "every target column": (cross_entropy("probs = torch.softmax(logits, dim=-1)\n"
                                                  "    return -torch.log(probs[:, target]).mean()"),
                                    "probs[:, target] takes every target column for every row"),
            "a Python number": (cross_entropy("probs = torch.softmax(logits, dim=-1)\n"
                                              "    return -torch.log(probs[torch.arange(len(target)), target])"
                                              ".mean().item()"),
                                "Return the tensor that .mean() gives"),
        },
    },
    "ex4_answer": {
        "correct": {
            "functional": classification("return F.cross_entropy(scores, torch.LongTensor(target_classes))"),
            "as_tensor long": classification("loss_fn = nn.CrossEntropyLoss()\n"
                                             "    return loss_fn(scores, torch.as_tensor(target_classes, dtype=torch.long))"),
            "explicit mean": classification("return nn.CrossEntropyLoss(reduction='mean')(scores, "
                                            "torch.tensor(target_classes, dtype=torch.int64))"),
        },
        "wrong": {
            "softmax first": (classification("return nn.CrossEntropyLoss()(torch.softmax(scores, dim=-1), "
                                             "torch.tensor(target_classes))"),
                              "nn.CrossEntropyLoss applies softmax itself"),
            "the list itself": (classification("return nn.CrossEntropyLoss()(scores, target_classes)"),
                                "needs the targets as an int64 tensor"),
            "float targets": (classification("return nn.CrossEntropyLoss()(scores, torch.tensor(target_classes, "
                                             "dtype=torch.float32))"),
                              "needs the targets as an int64 tensor"),
            "summed": (classification("return nn.CrossEntropyLoss(reduction='sum')(scores, torch.tensor(target_classes))"),
                       "return the mean loss"),
        },
    },
    "ex5_answer": {
        "correct": {
            "float32 arrays": mse("a = np.array(predictions, dtype=np.float32)\n"
                                  "    b = np.array(targets, dtype=np.float32)\n    return np.mean((a - b) ** 2)"),
            "square and subtract": mse("return np.square(np.subtract(predictions, targets)).mean()",
                                       "return nn.MSELoss()(torch.tensor(predictions).float(), "
                                       "torch.tensor(targets).float())"),
            "a Python float and as_tensor": mse("diffs = np.asarray(predictions, dtype=float) - np.asarray(targets)\n"
                                                "    return float((diffs ** 2).sum() / len(diffs))",
                                                "loss_fn = nn.MSELoss()\n"
                                                "    pred = torch.as_tensor(predictions, dtype=torch.float32)\n"
                                                "    true = torch.as_tensor(targets, dtype=torch.float32)\n"
                                                "    return loss_fn(pred, true)"),
            "float64 tensors": mse(None, "return nn.MSELoss()(torch.tensor(predictions, dtype=torch.float64), "
                                         "torch.tensor(targets, dtype=torch.float64))"),
        },
        "wrong": {
            "absolute error": (mse("return np.mean(np.abs(np.array(predictions) - np.array(targets)))"),
                               "Square the differences before averaging"),
            "sum": (mse("return np.sum((np.array(predictions) - np.array(targets)) ** 2)"),
                    "Take the mean of the squared differences, not their sum"),
            "root": (mse("return np.sqrt(np.mean((np.array(predictions) - np.array(targets)) ** 2))"),
                     "Do not take the square root"),
            "lists subtracted": (mse("return np.mean((predictions - targets) ** 2)"), "Subtract NumPy arrays, not lists"),
            "integer tensors": (mse(None, "return nn.MSELoss()(torch.tensor(predictions), torch.tensor(targets))"),
                                "a list of integers gives an int64 tensor"),
            "a Python number from torch": (mse(None, "return nn.MSELoss()(torch.tensor(predictions, dtype=torch.float32), "
                                                     "torch.tensor(targets, dtype=torch.float32)).item()"),
                                           "Return the tensor that nn.MSELoss() gives"),
        },
    },
    "ex6_answer": {
        "correct": {
            "conditional expression": better('return "a" if loss_fn(pred_a, truth) <= loss_fn(pred_b, truth) else "b"'),
            "min with a key": better('return min(["a", "b"], key=lambda k: loss_fn({"a": pred_a, "b": pred_b}[k], '
                                     'truth).item())'),
            "items compared": better("loss_a = loss_fn(pred_a, truth).item()\n"
                                     "    loss_b = loss_fn(pred_b, truth).item()\n"
                                     "    if loss_b < loss_a:\n        return 'b'\n    return 'a'"),
        },
        "wrong": {
            "higher loss": (better('return "a" if loss_fn(pred_a, truth) >= loss_fn(pred_b, truth) else "b"'),
                            "The better prediction has the LOWER loss"),
            "b on a tie": (better('return "a" if loss_fn(pred_a, truth) < loss_fn(pred_b, truth) else "b"'),
                           "On a tie return \"a\""),
            "a fixed loss": (better('return "a" if nn.MSELoss()(pred_a, truth) <= nn.MSELoss()(pred_b, truth) else "b"'),
                             "Use the `loss_fn` argument rather than a fixed loss"),
            "a boolean": (better("return loss_fn(pred_a, truth) <= loss_fn(pred_b, truth)"),
                          'Return the string "a" or "b"'),
        },
    },
}

# The day's later exercises.
ANSWERS |= {
    "ex7_answer": {
        "correct": {
            "functional, .float()": (
                "def soft_target_loss(scores, target_probs):\n"
                "    return F.cross_entropy(scores, torch.tensor(target_probs).float())\n"
            ),
            "by hand, -sum(p * log_softmax)": (
                "def soft_target_loss(scores, target_probs):\n"
                "    p = torch.tensor(target_probs, dtype=torch.float32)\n"
                "    return -(p * torch.log_softmax(scores, dim=-1)).sum(dim=1).mean()\n"
            ),
        },
        "wrong": {
            "integer rows": (
                "def soft_target_loss(scores, target_probs):\n"
                "    return nn.CrossEntropyLoss()(scores, torch.tensor(target_probs))\n",
                "Probability targets must be floats",
            ),
            "argmax to class indices": (
                "def soft_target_loss(scores, target_probs):\n"
                "    return nn.CrossEntropyLoss()(scores, torch.tensor(target_probs).argmax(dim=1))\n",
                "(argmax) throws the soft probabilities away",
            ),
            "softmax first": (
                "def soft_target_loss(scores, target_probs):\n"
                "    probs = torch.softmax(scores, dim=-1)\n"
                "    return nn.CrossEntropyLoss()(probs, torch.tensor(target_probs, dtype=torch.float32))\n",
                "applies softmax itself",
            ),
        },
    },
    "ex8_answer": {
        "correct": {
            "functional, unsqueeze": (
                "def binary_loss(logits, labels):\n"
                "    targets = torch.tensor(labels).float().unsqueeze(1)\n"
                "    return F.binary_cross_entropy_with_logits(logits, targets)\n"
            ),
            "view_as": (
                "def binary_loss(logits, labels):\n"
                "    return nn.BCEWithLogitsLoss()(logits, torch.tensor(labels, dtype=logits.dtype).view_as(logits))\n"
            ),
            "stable formula by hand": (
                "def binary_loss(logits, labels):\n"
                "    y = torch.tensor(labels, dtype=torch.float32).reshape(-1, 1)\n"
                "    return (logits.clamp(min=0) - logits * y + torch.log1p(torch.exp(-logits.abs()))).mean()\n"
            ),
        },
        "wrong": {
            "targets of shape (batch,)": (
                "def binary_loss(logits, labels):\n"
                "    return nn.BCEWithLogitsLoss()(logits, torch.tensor(labels, dtype=torch.float32))\n",
                "float targets of the same shape as the logits",
            ),
            "integer targets": (
                "def binary_loss(logits, labels):\n"
                "    return nn.BCEWithLogitsLoss()(logits, torch.tensor(labels).reshape(-1, 1))\n",
                "float targets of the same shape as the logits",
            ),
            "sigmoid first": (
                "def binary_loss(logits, labels):\n"
                "    targets = torch.tensor(labels, dtype=torch.float32).reshape(-1, 1)\n"
                "    return nn.BCEWithLogitsLoss()(torch.sigmoid(logits), targets)\n",
                "applies the sigmoid itself",
            ),
            "BCELoss on probabilities": (
                "def binary_loss(logits, labels):\n"
                "    targets = torch.tensor(labels, dtype=torch.float32).reshape(-1, 1)\n"
                "    return nn.BCELoss()(torch.sigmoid(logits), targets)\n",
                "loses precision for large logits",
            ),
        },
    },
}
