"""Alternative answers for Day 05 (the forward pass): correct ones written other ways, and classic mistakes."""


def predict(body: str) -> str:
    return f"def predict(model, x):\n    {body}\n"


def labels(body: str) -> str:
    return f"def outputs_to_labels(probs):\n    {body}\n"


RESTORE = "was_training = model.training\n    model.eval()\n"

ANSWERS = {
    "ex1_answer": {
        "correct": {
            "named layers": "from collections import OrderedDict\n"
                            "binary_model = nn.Sequential(OrderedDict(hidden=nn.Linear(6, 4), output=nn.Linear(4, 1), "
                            "probability=nn.Sigmoid()))\nbinary_probs = binary_model(animals)",
            "appended, probabilities detached": "binary_model = nn.Sequential()\n"
                                                "for layer in (nn.Linear(6, 4), nn.Linear(4, 1), nn.Sigmoid()):\n"
                                                "    binary_model.append(layer)\n"
                                                "binary_probs = binary_model(animals).detach()",
            "computed without gradients": "binary_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 1), nn.Sigmoid())\n"
                                          "with torch.no_grad():\n    binary_probs = binary_model(animals)",
        },
        "wrong": {
            "softmax at the end": ("binary_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 1), nn.Softmax(dim=-1))\n"
                                   "binary_probs = binary_model(animals)",
                                   "A binary classifier ends with nn.Sigmoid()"),
            "no sigmoid": ("binary_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 1))\n"
                           "binary_probs = binary_model(animals)", "A binary classifier ends with nn.Sigmoid()"),
            "one animal": ("binary_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 1), nn.Sigmoid())\n"
                           "binary_probs = binary_model(animals[0])", "Run the model on all animals at once"),
            "hidden layer skipped": ("binary_model = nn.Sequential(nn.Linear(6, 1), nn.Sigmoid())\n"
                                     "binary_probs = binary_model(animals)", "6 features in, 4 hidden neurons"),
            "probabilities from another model": ("binary_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 1), "
                                                 "nn.Sigmoid())\nbinary_probs = nn.Sequential(nn.Linear(6, 4), "
                                                 "nn.Linear(4, 1), nn.Sigmoid())(animals)",
                                                 "should be the output of binary_model(animals)"),
        },
    },
    "ex2_answer": {
        "correct": {
            "dim=1": "multiclass_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 3), nn.Softmax(dim=1))\n"
                     "multiclass_probs = multiclass_model(animals)",
            "positional dim, forward": "multiclass_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 3), nn.Softmax(-1))\n"
                                       "multiclass_probs = multiclass_model.forward(animals)",
            "named layers": "from collections import OrderedDict\n"
                            "multiclass_model = nn.Sequential(OrderedDict([('hidden', nn.Linear(6, 4)), "
                            "('scores', nn.Linear(4, 3)), ('softmax', nn.Softmax(dim=-1))]))\n"
                            "multiclass_probs = multiclass_model(animals)",
        },
        "wrong": {
            "dim=0": ("multiclass_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 3), nn.Softmax(dim=0))\n"
                      "multiclass_probs = multiclass_model(animals)", "not dim=0 (which mixes animals)"),
            "no dim": ("multiclass_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 3), nn.Softmax())\n"
                       "multiclass_probs = multiclass_model(animals)", "Write nn.Softmax(dim=-1)"),
            "sigmoid": ("multiclass_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 3), nn.Sigmoid())\n"
                        "multiclass_probs = multiclass_model(animals)",
                        "Probabilities over several classes come from nn.Softmax(dim=-1)"),
            "one output per animal": ("multiclass_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 1), "
                                      "nn.Softmax(dim=-1))\nmulticlass_probs = multiclass_model(animals)",
                                      "One output per class"),
        },
    },
    "ex3_answer": {
        "correct": {
            "named layers": "from collections import OrderedDict\n"
                            "regression_model = nn.Sequential(OrderedDict(hidden=nn.Linear(6, 4), years=nn.Linear(4, 1)))\n"
                            "regression_out = regression_model(animals)",
            "from a list, without gradients": "regression_model = nn.Sequential(*[nn.Linear(6, 4), nn.Linear(4, 1)])\n"
                                              "with torch.no_grad():\n    regression_out = regression_model(animals)",
            "appended": "regression_model = nn.Sequential()\nregression_model.append(nn.Linear(6, 4))\n"
                        "regression_model.append(nn.Linear(4, 1))\nregression_out = regression_model(animals)",
        },
        "wrong": {
            "sigmoid at the end": ("regression_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 1), nn.Sigmoid())\n"
                                   "regression_out = regression_model(animals)",
                                   "Regression has no final activation"),
            "softmax at the end": ("regression_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 1), "
                                   "nn.Softmax(dim=-1))\nregression_out = regression_model(animals)",
                                   "a softmax makes them sum to 1"),
            "ReLU at the end": ("regression_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 1), nn.ReLU())\n"
                                "regression_out = regression_model(animals)",
                                "The model should end with the nn.Linear(4, 1) layer"),
            "two outputs": ("regression_model = nn.Sequential(nn.Linear(6, 4), nn.Linear(4, 2))\n"
                            "regression_out = regression_model(animals)", "nn.Linear(6, 4) then nn.Linear(4, 1)"),
        },
    },
    "ex4_answer": {
        "correct": {
            "restore with train(mode)": predict(RESTORE + "    with torch.no_grad():\n        out = model(x)\n"
                                                          "    model.train(was_training)\n    return out"),
            "restore in finally": predict(RESTORE + "    try:\n        with torch.no_grad():\n"
                                                    "            return model(x)\n    finally:\n"
                                                    "        model.train(was_training)"),
            "inference_mode and an if": predict("was_training = model.training\n    model.eval()\n"
                                                "    with torch.inference_mode():\n        out = model(x)\n"
                                                "    if was_training:\n        model.train()\n    return out"),
            "the helpers' context": predict("from helpers.modes import evaluating\n"
                                            "    with evaluating(model):\n        return model(x)"),
        },
        "wrong": {
            "no eval": (predict("with torch.no_grad():\n        return model(x)"), "Call model.eval()"),
            "detach afterwards": (predict(RESTORE + "    out = model(x).detach()\n    model.train(was_training)\n"
                                                    "    return out"), "a .detach() afterwards comes too late"),
            "left in evaluation mode": (predict("model.eval()\n    with torch.no_grad():\n        return model(x)"),
                                        "call model.train(was_training) at the end"),
            "always back to training": (predict("model.eval()\n    with torch.no_grad():\n        out = model(x)\n"
                                                "    model.train()\n    return out"),
                                        "model.train() alone always switches to training mode"),
            "recording switched off for good": (predict(RESTORE + "    torch.set_grad_enabled(False)\n"
                                                                  "    out = model(x)\n    model.train(was_training)\n"
                                                                  "    return out"),
                                                "gradient recording is switched off for the rest of the notebook"),
        },
    },
    "ex5_answer": {
        "correct": {
            "squeeze and where": labels("if probs.size(1) == 1:\n"
                                        "        return torch.where(probs.squeeze(-1) >= 0.5, 1, 0)\n"
                                        "    return torch.argmax(probs, dim=1)"),
            "ge and max indices": labels("if probs.shape[-1] > 1:\n        return probs.max(dim=-1).indices\n"
                                         "    return probs.ge(0.5).long().flatten()"),
            "floor of p + 0.5": labels("if probs.shape[1] == 1:\n"
                                           "        return torch.floor(probs[:, 0] + 0.5).to(torch.int64)\n"
                                           "    return probs.argmax(dim=-1)"),
        },
        "wrong": {
            "argmax always": (labels("return probs.argmax(dim=-1)"), "argmax over a single column is always 0"),
            "column kept": (labels("if probs.shape[-1] == 1:\n        return (probs >= 0.5).long()\n"
                                   "    return probs.argmax(dim=-1)"),
                            "Return one label per row, shape (batch,)"),
            "strictly greater": (labels("if probs.shape[-1] == 1:\n        return (probs[:, 0] > 0.5).long()\n"
                                        "    return probs.argmax(dim=-1)"),
                                 "label 1 when the probability is >= 0.5"),
            "argmax over the batch": (labels("if probs.shape[-1] == 1:\n        return (probs[:, 0] >= 0.5).long()\n"
                                             "    return probs.argmax(dim=0)"),
                                      "One label per row: argmax along dim=-1"),
            "threshold for every column": (labels("return (probs[:, 0] >= 0.5).long()"),
                                           "the position of the largest probability"),
        },
    },
}
