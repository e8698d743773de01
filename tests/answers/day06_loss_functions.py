"""Other correct answers and classic wrong answers to the new exercises of Day 06."""

ANSWERS = {
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
